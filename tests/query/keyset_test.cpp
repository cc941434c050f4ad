// Keyed pages (page.hpp) on every backend: paging visits every row exactly once, in
// order, across ties and mixed directions, forwards and backwards, with join,
// prefetch and where; tokens are checked when read.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "../support/backend.hpp"
#include "../support/dashboard_data.hpp"
#include "eagerload/counter.hpp"
#include "eagerload/eagerload.hpp"

using namespace eagerload;
using namespace dash;

namespace {

// Many ties: priorities 0..3 and a handful of created_at values over ~100 tasks.
void seed(const database& db) {
    create_schema(db);
    sizes s;
    s.projects = 14;
    s.tasks_per_project = 12;
    dataset d = generate(7, s);
    const auto t0 = make_timestamp(2024, 5, 1);
    for (std::size_t i = 0; i < d.tasks.size(); ++i) {
        d.tasks[i].priority = static_cast<std::int32_t>(i * 7 % 4);
        d.tasks[i].created_at = t0 + std::chrono::minutes(static_cast<int>(i * 5 % 3));
    }
    dash::insert(db, d);
}

template <class Rows>
std::vector<std::int64_t> ids(const Rows& rows) {
    std::vector<std::int64_t> r;
    for (const auto& x : rows) r.push_back(x.id);
    return r;
}

// Every page of q, first to last, by next tokens.
template <class Q>
std::vector<std::int64_t> forward(const Q& q, const database& db, std::size_t size, std::string* last_token = nullptr) {
    std::vector<std::int64_t> seen;
    std::string token;
    for (int guard = 0; guard < 1000; ++guard) {
        auto p = q.page(db, size, token);
        CHECK(p.rows.size() <= size);
        for (auto id : ids(p.rows)) seen.push_back(id);
        if (!p.next_token) {
            if (last_token) *last_token = token;
            return seen;
        }
        CHECK(p.rows.size() == size);  // only the last page is short
        token = *p.next_token;
    }
    FAIL("paging did not end");
    return seen;
}

}  // namespace

EAGERLOAD_TEST("keyed pages visit every row once in order across ties and mixed directions") {
    seed(db);
    const auto q = select<Task>().order_by(desc<&Task::priority>, asc<&Task::created_at>);
    const auto expected =
        ids(select<Task>().order_by(desc<&Task::priority>, asc<&Task::created_at>, asc<&Task::id>).all(db));
    REQUIRE(expected.size() > 50);
    for (std::size_t size : {std::size_t{1}, std::size_t{7}, std::size_t{10}, expected.size(), expected.size() + 5})
        CHECK(forward(q, db, size) == expected);

    // Mixed directions the other way round, and a descending primary key in the middle.
    const auto q2 = select<Task>().order_by(asc<&Task::priority>, desc<&Task::title>, desc<&Task::id>);
    CHECK(forward(q2, db, 9) ==
          ids(select<Task>().order_by(asc<&Task::priority>, desc<&Task::title>, desc<&Task::id>).all(db)));
}

EAGERLOAD_TEST("keyed pages walk backwards with previous tokens") {
    seed(db);
    const auto q = select<Task>().order_by(asc<&Task::priority>, desc<&Task::created_at>);
    const auto expected =
        ids(select<Task>().order_by(asc<&Task::priority>, desc<&Task::created_at>, asc<&Task::id>).all(db));
    // Forward to the last page, then back by previous tokens.
    std::string token;
    std::vector<std::string> tokens{""};
    for (;;) {
        auto p = q.page(db, 8, token);
        if (!p.next_token) break;
        token = *p.next_token;
        tokens.push_back(token);
    }
    auto p = q.page(db, 8, token);
    std::vector<std::int64_t> back = ids(p.rows);
    int pages = 1;
    while (p.previous_token) {
        p = q.page(db, 8, *p.previous_token);
        auto chunk = ids(p.rows);
        back.insert(back.begin(), chunk.begin(), chunk.end());
        ++pages;
        REQUIRE(pages < 100);
    }
    CHECK(back == expected);
    CHECK(static_cast<std::size_t>(pages) == tokens.size());
    // The first page reached backwards says there is none before it, and has a next.
    CHECK(p.rows.size() == 8);
    CHECK(p.next_token.has_value());
}

EAGERLOAD_TEST("page_after and page_before a row, and the empty page after the last row") {
    seed(db);
    const auto q = select<Task>().order_by(desc<&Task::created_at>, asc<&Task::priority>);
    const auto all = select<Task>().order_by(desc<&Task::created_at>, asc<&Task::priority>, asc<&Task::id>).all(db);
    const auto expected = ids(all);
    auto slice = [&](std::size_t from, std::size_t to) {
        return std::vector<std::int64_t>(expected.begin() + static_cast<long>(from), expected.begin() + static_cast<long>(to));
    };
    CHECK(ids(q.page_after(db, 5, all[20]).rows) == slice(21, 26));
    CHECK(ids(q.page_before(db, 5, all[20]).rows) == slice(15, 20));
    CHECK(ids(q.page_before(db, 5, all[3]).rows) == slice(0, 3));
    CHECK_FALSE(q.page_before(db, 5, all[3]).previous_token);

    // After the last row: an empty page, no next, and a previous that leads back.
    auto empty = q.page_after(db, 5, all.back());
    CHECK(empty.rows.empty());
    CHECK_FALSE(empty.next_token);
    REQUIRE(empty.previous_token);
    CHECK(ids(q.page(db, 5, *empty.previous_token).rows) == slice(expected.size() - 5, expected.size()));
    // Before the first row: empty, and its next is the first page ("").
    auto none = q.page_before(db, 5, all.front());
    CHECK(none.rows.empty());
    CHECK(none.next_token == std::optional<std::string>(""));
    // A page that ends exactly at the last row knows it is the last.
    auto last = q.page_after(db, 5, all[expected.size() - 6]);
    CHECK(ids(last.rows) == slice(expected.size() - 5, expected.size()));
    CHECK_FALSE(last.next_token);
}

EAGERLOAD_TEST("keyed pages work with where, join and prefetch, relations loaded for the page's rows") {
    seed(db);
    const auto base = select<Task>().where(col<&Task::priority> != 2).order_by(asc<&Task::created_at>,
                                                                                desc<&Task::priority>);
    const auto q = base.join(assignee).prefetch(comments, select<Comment>().order_by(asc<&Comment::id>).join(author));
    std::vector<std::int64_t> expected;
    for (const auto& t : select<Task>()
                             .where(col<&Task::priority> != 2)
                             .order_by(asc<&Task::created_at>, desc<&Task::priority>, asc<&Task::id>)
                             .all(db))
        expected.push_back(t.id);

    std::vector<std::int64_t> seen;
    std::string token;
    query_counter counter(db, counter_scope::this_thread);
    for (;;) {
        counter.reset();
        auto p = q.page(db, 6, token);
        CHECK(counter.count() == (p.rows.empty() ? 1u : 2u));
        for (const auto& t : p.rows) {
            seen.push_back(t.id);
            CHECK(t.priority != 2);
            if (t.assignee_id) {
                REQUIRE(t[assignee] != nullptr);
                CHECK(t[assignee]->id == *t.assignee_id);
            } else {
                CHECK(t[assignee] == nullptr);
            }
            const auto want = select<Comment>().where(col<&Comment::task_id> == t.id).order_by(asc<&Comment::id>).all(db);
            CHECK(ids(t[comments]) == ids(want));
            for (const auto& c : t[comments]) CHECK(c[author].id == c.author_id);
        }
        if (!p.next_token) break;
        token = *p.next_token;
    }
    CHECK(seen == expected);
    CHECK(std::set<std::int64_t>(seen.begin(), seen.end()).size() == seen.size());
}

EAGERLOAD_TEST("a tampered, truncated or foreign page token is refused with a clear error") {
    seed(db);
    const auto q = select<Task>().order_by(desc<&Task::priority>, asc<&Task::title>);
    auto p = q.page(db, 5);
    REQUIRE(p.next_token);
    const std::string token = *p.next_token;
    CHECK(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
          std::string::npos);
    CHECK_NOTHROW(q.page(db, 5, token));

    std::string flipped = token;
    flipped[token.size() / 2] = flipped[token.size() / 2] == 'A' ? 'B' : 'A';
    CHECK_THROWS_WITH_AS(q.page(db, 5, flipped), doctest::Contains("invalid page token"), invalid_page_token);
    CHECK_THROWS_WITH_AS(q.page(db, 5, token.substr(0, token.size() - 3)), doctest::Contains("invalid page token"),
                         invalid_page_token);
    CHECK_THROWS_WITH_AS(q.page(db, 5, token.substr(0, 5)), doctest::Contains("truncated"), invalid_page_token);
    CHECK_THROWS_WITH_AS(q.page(db, 5, "not a token!"), doctest::Contains("base64url"), invalid_page_token);
    CHECK_THROWS_WITH_AS(q.page(db, 5, "' OR 1=1 --"), doctest::Contains("base64url"), invalid_page_token);

    // Another query's token: other keys, other directions, another table.
    const auto other = select<Task>().order_by(asc<&Task::priority>, asc<&Task::title>);
    CHECK_THROWS_WITH_AS(other.page(db, 5, token), doctest::Contains("another query, not one of table \"tasks\""),
                         invalid_page_token);
    auto user_page = select<User>().order_by(asc<&User::name>).page(db, 2);
    REQUIRE(user_page.next_token);
    CHECK_THROWS_AS(q.page(db, 5, *user_page.next_token), invalid_page_token);

    // A well-formed token whose value has the wrong type for its column.
    detail::page_key k = detail::decode_page_token(token);
    k.values[1] = detail::param::integer(3);  // title is text
    CHECK_THROWS_WITH_AS(q.page(db, 5, detail::encode_page_token(k)), doctest::Contains("\"tasks\".\"title\""),
                         invalid_page_token);
    CHECK_THROWS_AS(q.page(db, 0), std::invalid_argument);
}

EAGERLOAD_TEST("page token values are bound, never SQL text") {
    create_table<User>(db);
    std::vector<User> users;
    for (int i = 1; i <= 12; ++i)
        users.push_back(User{i, i % 2 ? "x'); DROP TABLE users; --" : "o'neil \"q\" \\ ;", "e", {}});
    insert_all(db, users);
    const auto q = select<User>().order_by(desc<&User::name>);
    std::vector<std::int64_t> seen;
    std::string token;
    for (;;) {
        auto p = q.page(db, 5, token);
        for (const auto& u : p.rows) seen.push_back(u.id);
        if (!p.next_token) break;
        token = *p.next_token;
    }
    CHECK(seen == ids(select<User>().order_by(desc<&User::name>, asc<&User::id>).all(db)));
    CHECK(select<User>().count(db) == 12);
}

EAGERLOAD_TEST("keyed pages of a projected root: order keys named in only<> page exactly, a missing one is refused") {
    seed(db);
    const auto expected = ids(select<Task>().order_by(desc<&Task::priority>, asc<&Task::id>).all(db));
    const auto q = select<Task>().only<&Task::title, &Task::priority>().order_by(desc<&Task::priority>);
    std::vector<std::int64_t> seen;
    std::string token;
    for (int guard = 0; guard < 1000; ++guard) {
        auto p = q.page(db, 8, token);
        for (const auto& row : p.rows) seen.push_back(row[col<&Task::id>]);
        if (!p.next_token) break;
        token = *p.next_token;
    }
    CHECK(seen == expected);
    // priority not loaded: a token could not be made of it; nothing is guessed.
    const auto missing = select<Task>().only<&Task::title>().order_by(desc<&Task::priority>);
    CHECK_THROWS_WITH_AS(missing.page(db, 8), doctest::Contains("does not load \"priority\""), eagerload::error);
}

EAGERLOAD_TEST("keyed pages of a projected root ordered by a relation key it does not name: the node keeps that key") {
    seed(db);
    // project_id is not in only<>: the join loads it, the node keeps it (it follows the
    // relation by it), and the tokens are made of it.
    const auto expected = ids(select<Task>().order_by(desc<&Task::project_id>, asc<&Task::id>).all(db));
    const auto q = select<Task>()
                       .only<&Task::title>()
                       .order_by(desc<&Task::project_id>)
                       .join(project, select<Project>().only<&Project::name>());
    std::vector<std::int64_t> seen;
    std::string token;
    for (int guard = 0; guard < 1000; ++guard) {
        auto p = q.page(db, 2, token);
        for (const auto& row : p.rows) {
            seen.push_back(row[col<&Task::id>]);
            CHECK(row[project][col<&Project::id>] == detail::node_column<&Task::project_id>(row));
        }
        if (!p.next_token) break;
        token = *p.next_token;
    }
    CHECK(seen == expected);
}

TEST_CASE("page tokens round-trip every value kind through the pure pair") {
    detail::page_key k;
    k.before = true;
    k.inclusive = true;
    k.shape = 0x0123456789abcdefULL;
    k.values = {detail::param::integer(-5), detail::param::integer(9223372036854775807LL), detail::param::real(0.1),
                detail::param::text(std::string("a\0b", 3)), detail::param::text(""),
                detail::param::blob(std::string("\0\xff\x01", 3)), detail::param::decimal("-12345678901234567890.125"),
                detail::param{}};
    for (int extra = 0; extra < 3; ++extra) {  // lengths 0, 1, 2 mod 3 in base64
        const std::string t = detail::encode_page_token(k);
        const detail::page_key back = detail::decode_page_token(t);
        CHECK(back.before == k.before);
        CHECK(back.inclusive == k.inclusive);
        CHECK(back.shape == k.shape);
        REQUIRE(back.values.size() == k.values.size());
        for (std::size_t i = 0; i < k.values.size(); ++i) {
            CHECK(back.values[i].k == k.values[i].k);
            CHECK(back.values[i].i == k.values[i].i);
            CHECK(back.values[i].d == k.values[i].d);
            CHECK(back.values[i].s == k.values[i].s);
        }
        // Every truncation is refused, with invalid_page_token and nothing else.
        for (std::size_t n = 0; n < t.size(); ++n) CHECK_THROWS_AS(detail::decode_page_token(t.substr(0, n)), invalid_page_token);
        k.values.back() = detail::param::text(std::string(static_cast<std::size_t>(extra + 1), 'z'));
    }
}

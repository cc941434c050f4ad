// The per-session statement cache (open_options::statement_cache_size): a level's
// statement is prepared once per session and reused for every key list; schema
// changes between loads are survived; 0 switches it off; the bound evicts.
#include <fmt/format.h>

#include <string>
#include <string_view>
#include <vector>

#include "../support/backend.hpp"
#include "../support/dashboard_data.hpp"
#include "eagerload/detail/statement_cache.hpp"
#include "eagerload/eagerload.hpp"

using namespace eagerload;
using namespace dash;
using detail::statement_cache_stats_of;

namespace {

const auto t0 = make_timestamp(2024, 5, 1);

void seed(const database& db) {
    create_schema(db);
    insert_all(db, std::vector<User>{{1, "ann", "ann@x", {}}, {2, "bob", "bob@x", {}}});
    std::vector<Project> projects;
    std::vector<Task> tasks;
    for (std::int64_t p = 1; p <= 6; ++p) {
        projects.push_back({p, fmt::format("p{}", p), 1 + p % 2, t0});
        for (std::int64_t t = 0; t < p; ++t)
            tasks.push_back({p * 100 + t, p, {}, "t", static_cast<std::int32_t>(t), t0});
    }
    insert_all(db, projects);
    insert_all(db, tasks);
}

// Projects 1..n with their tasks: 2 statements, the second's key list n long.
std::size_t tasks_of_first(const database& db, std::int64_t n) {
    std::size_t count = 0;
    for (const auto& p : select<Project>()
                             .where(col<&Project::id> <= n)
                             .order_by(asc<&Project::id>)
                             .prefetch(tasks, select<Task>().order_by(asc<&Task::id>))
                             .load(db)) {
        CHECK(p[tasks].size() == static_cast<std::size_t>(p.id));
        for (const auto& t : p[tasks]) CHECK(t.priority == static_cast<std::int32_t>(t.id % 100));
        count += p[tasks].size();
    }
    return count;
}

void run_each(const database& db, std::string_view statements) {
    for (std::size_t at = 0; at < statements.size();) {
        const std::size_t end = std::min(statements.find("; ", at), statements.size());
        detail::execute(db, std::string(statements.substr(at, end - at)));
        at = end + 2;
    }
}

struct Shelf {
    std::int64_t id;
    std::int32_t a;
};
struct Book {
    std::int64_t id;
    std::int64_t shelf_id;
    std::int32_t x;
    std::int32_t y;
};

}  // namespace

BOOST_HANA_ADAPT_STRUCT(Shelf, id, a);
BOOST_HANA_ADAPT_STRUCT(Book, id, shelf_id, x, y);
template <>
struct eagerload::model<Shelf> {
    static constexpr std::string_view table = "cache_shelves";
    static constexpr auto key = &Shelf::id;
};
template <>
struct eagerload::model<Book> {
    static constexpr std::string_view table = "cache_books";
    static constexpr auto key = &Book::id;
};

namespace {
inline constexpr auto books = has_many<&Book::shelf_id, &Shelf::id>;

// The books' x + y, summed, through one 2-statement load (21 for the seeded rows).
long long shelf_load(const database& db) {
    long long sum = 0;
    for (const auto& s : select<Shelf>().order_by(asc<&Shelf::id>).prefetch(books, select<Book>().order_by(asc<&Book::id>)).load(db)) {
        CHECK(s.a == 6 + s.id);
        for (const auto& b : s[books]) sum += b.x + b.y;
    }
    return sum;
}
}  // namespace

EAGERLOAD_TEST("the statement cache prepares a level's statement once per session and reuses it") {
    seed(db);
    const auto before = statement_cache_stats_of(db);
    CHECK(tasks_of_first(db, 2) == 3);
    CHECK(tasks_of_first(db, 5) == 15);  // another key-list length: the same SQL text
    CHECK(tasks_of_first(db, 6) == 21);
    const auto after = statement_cache_stats_of(db);
    if (ctx.quirks().keeps_prepared_statements) {
        CHECK(after.prepares - before.prepares == 2);  // the root level and the tasks level
        CHECK(after.reuses - before.reuses == 4);
        CHECK(after.entries >= 2);
    } else {
        CHECK(after.prepares == 0);
        CHECK(after.entries == 0);
    }
}

EAGERLOAD_TEST("a column type changed between two loads still loads correctly with the statement cache") {
    create_table<Shelf>(db);
    create_table<Book>(db);
    insert_all(db, std::vector<Shelf>{{1, 7}, {2, 8}});
    insert_all(db, std::vector<Book>{{10, 1, 1, 2}, {11, 1, 3, 4}, {12, 2, 5, 6}});
    const auto change = [&](std::string_view table, std::string_view column) {
        run_each(db, fmt::format(fmt::runtime(ctx.quirks().change_column_to_bigint), fmt::arg("table", table),
                                 fmt::arg("column", ctx.quoted(column))));
    };
    const auto one_statement = [&] { return select<Book>().where(col<&Book::shelf_id> == 1).order_by(asc<&Book::id>).all(db); };
    const auto x_sum = [](const std::vector<Book>& bs) { return bs.size() == 2 ? bs[0].x + bs[1].x : -1; };
    CHECK(x_sum(one_statement()) == 4);
    CHECK(shelf_load(db) == 21);

    // INTEGER -> BIGINT: the result type of both statements changes (PostgreSQL: 0A000
    // "cached plan must not change result type" on their next run).
    change("cache_books", "x");
    CHECK(x_sum(one_statement()) == 4);  // outside a transaction: prepared again at once
    CHECK(shelf_load(db) == 21);         // in the load's own snapshot: the load runs again
    change("cache_shelves", "a");              // the first statement of the snapshot
    CHECK(shelf_load(db) == 21);

    // Inside the caller's transaction the load cannot retry (the failure may have aborted
    // the transaction): it loads, or says stale_statement and the next transaction loads.
    change("cache_books", "y");
    {
        transaction tx(db);
        try {
            const long long sum = shelf_load(db);
            CHECK(sum == 21);
        } catch (const detail::stale_statement& e) {
            CHECK(std::string(e.what()).find("retry the transaction") != std::string::npos);
        }
    }
    {
        transaction tx(db);
        CHECK(shelf_load(db) == 21);
        tx.commit();
    }
    CHECK(x_sum(one_statement()) == 4);
}

EAGERLOAD_TEST("statement_cache_size 0 switches the statement cache off") {
    seed(db);
    open_options o;
    o.statement_cache_size = 0;
    const database off = ctx.open(o);
    CHECK(tasks_of_first(off, 3) == 6);
    CHECK(tasks_of_first(off, 6) == 21);
    const auto s = statement_cache_stats_of(off);
    CHECK(s.prepares == 0);
    CHECK(s.reuses == 0);
    CHECK(s.entries == 0);
}

EAGERLOAD_TEST("the statement cache keeps at most statement_cache_size statements per session") {
    seed(db);
    open_options o;
    o.statement_cache_size = 2;
    const database small = ctx.open(o);
    for (int round = 0; round < 2; ++round) {
        CHECK(select<Project>().count(small) == 6);
        CHECK(select<Task>().where(col<&Task::project_id> == 2).all(small).size() == 2);
        CHECK(select<User>().order_by(asc<&User::id>).all(small).size() == 2);
    }
    const auto s = statement_cache_stats_of(small);
    if (ctx.quirks().keeps_prepared_statements) {
        CHECK(s.entries == 2);
        CHECK(s.prepares == 6);  // three statements taking turns in two places: every run prepares
        CHECK(s.evictions == 4);
    } else {
        CHECK(s.entries == 0);
    }
}

// The session is ended from another one; the next load fails (connection_error) and
// the pool replaces the session: its statements died with it, so they are prepared
// again (MariaDB: a MYSQL_STMT of the old connection is never run on the new one).
void starts_over_after_a_reconnect(const eagerload_test::context& ctx) {
    auto db = ctx.open(1);
    auto admin = ctx.open(1);
    seed(db);
    const long long id = eagerload_test::session_id(db);
    CHECK(tasks_of_first(db, 6) == 21);
    const auto warm = statement_cache_stats_of(db);
    eagerload_test::kill_session(admin, id);
    CHECK_THROWS_AS(tasks_of_first(db, 6), connection_error);
    // The new session has none of the old one's prepared statements: prepared again.
    CHECK(tasks_of_first(db, 6) == 21);
    CHECK(tasks_of_first(db, 6) == 21);
    const auto s = statement_cache_stats_of(db);
    CHECK(s.prepares - warm.prepares == 2);
    CHECK(s.entries == 2);
    CHECK(eagerload_test::session_id(db) != id);
}

TEST_CASE("the statement cache starts over on the new session after a reconnect [postgresql]") {
    starts_over_after_a_reconnect(eagerload_test::context(dialect::postgresql));
}
TEST_CASE("the statement cache starts over on the new session after a reconnect [mariadb]") {
    starts_over_after_a_reconnect(eagerload_test::context(dialect::mariadb));
}

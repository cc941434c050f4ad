// A large prefetched collection level (more rows than the driver gathers in one flat
// vector, src/prefetch.cpp) places its children into their parents' lists as rows
// arrive where the backend streams rows (every backend now: SQLite, libpq's single-row
// mode, MariaDB's mysql_use_result), and the graph is the same as a small level's: each
// parent exactly its own children, in the child query's order, lists trimmed to their
// size, nested levels and parents sharing a key included, and the same errors.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "../support/backend.hpp"
#include "../support/dashboard_data.hpp"
#include "../support/ids.hpp"
#include "eagerload/detail/execute.hpp"
#include "eagerload/eagerload.hpp"
#include "eagerload/testing.hpp"

namespace large_level {
struct Shelf {
    std::int64_t id;
    std::string name;
};
struct Book {
    std::int64_t id;
    std::int64_t shelf_id;
    std::int32_t position;
    std::string title;  // over the small-string buffer: a moved child keeps its heap text
};
struct Note {
    std::int64_t id;
    std::int64_t book_id;
    std::string text;
};
}  // namespace large_level
BOOST_HANA_ADAPT_STRUCT(large_level::Shelf, id, name);
BOOST_HANA_ADAPT_STRUCT(large_level::Book, id, shelf_id, position, title);
BOOST_HANA_ADAPT_STRUCT(large_level::Note, id, book_id, text);
template <>
struct eagerload::model<large_level::Shelf> {
    static constexpr std::string_view table = "ll_shelves";
    static constexpr auto key = &large_level::Shelf::id;
};
template <>
struct eagerload::model<large_level::Book> {
    static constexpr std::string_view table = "ll_books";
    static constexpr auto key = &large_level::Book::id;
};
template <>
struct eagerload::model<large_level::Note> {
    static constexpr std::string_view table = "ll_notes";
    static constexpr auto key = &large_level::Note::id;
};

using namespace eagerload;
using namespace large_level;

namespace {

constexpr auto books = has_many<&Book::shelf_id, &Shelf::id>;
constexpr auto notes = has_many<&Note::book_id, &Book::id>;

// Sets the rows a collection level gathers before placing them as they arrive; restores it.
struct direct_threshold {
    std::size_t old;
    explicit direct_threshold(std::size_t rows) : old(detail::set_prefetch_direct_threshold(rows)) {}
    ~direct_threshold() { detail::set_prefetch_direct_threshold(old); }
    direct_threshold(const direct_threshold&) = delete;
    direct_threshold& operator=(const direct_threshold&) = delete;
};

std::string title_of(std::int64_t book) { return "a title long enough for the heap #" + std::to_string(book); }

using eagerload_test::ids;

}  // namespace

EAGERLOAD_TEST("a large has_many level: each parent exactly its children, in order, lists trimmed, nested level right") {
    // 25,000 books under 2,500 shelves, more than one batch of rows; the
    // rows interleave parents (book b is on shelf b % 2,500), so placement must group.
    constexpr std::int64_t shelves_n = 2500, books_n = 25000;
    create_table<Shelf>(db);
    create_table<Book>(db);
    create_table<Note>(db);
    std::vector<Shelf> shelves;
    for (std::int64_t s = 0; s < shelves_n; ++s) shelves.push_back({s, "shelf " + std::to_string(s)});
    std::vector<Book> bs;
    for (std::int64_t b = 0; b < books_n; ++b)
        bs.push_back({b, b % shelves_n, static_cast<std::int32_t>(b / shelves_n), title_of(b)});
    std::vector<Note> ns;  // every 7th book has two notes
    for (std::int64_t b = 0; b < books_n; b += 7) {
        ns.push_back({2 * b, b, "first on " + std::to_string(b)});
        ns.push_back({2 * b + 1, b, "second on " + std::to_string(b)});
    }
    insert_all(db, shelves);
    insert_all(db, bs);
    insert_all(db, ns);

    const auto q = select<Shelf>()
                       .order_by(asc<&Shelf::id>)
                       .prefetch(books, select<Book>()
                                            .order_by(desc<&Book::position>)
                                            .prefetch(notes, select<Note>().order_by(asc<&Note::id>)));
    std::vector<decltype(q)::node_type> rows;
    EAGERLOAD_CHECK_STATEMENTS(db, 3) { rows = q.load(db); }
    REQUIRE(rows.size() == static_cast<std::size_t>(shelves_n));
    std::size_t wrong = 0, untrimmed = 0, wrong_notes = 0;
    for (const auto& s : rows) {
        const auto& list = s[books];
        if (list.capacity() != list.size()) ++untrimmed;
        std::vector<std::int64_t> expected;  // positions 9..0: books s + 2500 * position
        for (std::int64_t p = books_n / shelves_n - 1; p >= 0; --p) expected.push_back(s.id + shelves_n * p);
        if (ids(list) != expected) {
            ++wrong;
            continue;
        }
        for (const auto& b : list) {
            if (b.shelf_id != s.id || b.title != title_of(b.id)) ++wrong;
            const auto want = b.id % 7 == 0 ? std::vector<std::int64_t>{2 * b.id, 2 * b.id + 1} : std::vector<std::int64_t>{};
            if (ids(b[notes]) != want || (!want.empty() && b[notes][1].text != "second on " + std::to_string(b.id)))
                ++wrong_notes;
        }
    }
    CHECK(wrong == 0);
    CHECK(untrimmed == 0);
    CHECK(wrong_notes == 0);
}

EAGERLOAD_TEST("levels placed as rows arrive (the default) give the same graphs as levels sized at the end") {
    using namespace dash;
    create_schema(db);
    insert(db, small_dataset());
    const auto nested = select<Project>()
                            .order_by(asc<&Project::id>)
                            .prefetch(tasks, select<Task>()
                                                 .order_by(desc<&Task::priority>, asc<&Task::id>)
                                                 .prefetch(comments, select<Comment>().order_by(desc<&Comment::created_at>)))
                            .prefetch(member_users, select<User>().order_by(desc<&User::name>));
    // joined rows repeat a project: its members are copied to each row sharing the key
    const auto joined = select<Task>().order_by(asc<&Task::id>).join(project, select<Project>().prefetch(member_users));
    const auto shape = [&](const auto& projects, const auto& task_rows) {
        std::vector<std::vector<std::int64_t>> out;
        for (const auto& p : projects) {
            out.push_back(ids(p[tasks]));
            out.push_back(ids(p[member_users]));
            for (const auto& t : p[tasks]) out.push_back(ids(t[comments]));
        }
        for (const auto& t : task_rows) out.push_back(ids(t[project][member_users]));
        return out;
    };
    const auto placed = shape(nested.load(db), joined.load(db));
    std::vector<std::vector<std::int64_t>> sized;
    {
        direct_threshold sized_at_end(std::numeric_limits<std::size_t>::max());
        sized = shape(nested.load(db), joined.load(db));
    }
    CHECK(placed == sized);
    CHECK(placed[0] == std::vector<std::int64_t>{101, 102, 100});  // the small dataset's project 10
    CHECK(placed[0 + 1] == std::vector<std::int64_t>{3, 2});       // its members, by name desc
}

EAGERLOAD_TEST("placed as rows arrive or sized at the end: repeated parent keys are an error naming table and column") {
    direct_threshold all_direct(0);
    detail::execute(db, "CREATE TABLE ll_shelves (id BIGINT NOT NULL, name TEXT NOT NULL)");  // no PRIMARY KEY
    detail::execute(db, "INSERT INTO ll_shelves (id, name) VALUES (1, 'a'), (1, 'b'), (2, 'c')");
    create_table<Book>(db);
    insert(db, Book{10, 1, 0, title_of(10)});
    insert(db, Book{11, 2, 0, title_of(11)});
    CHECK_THROWS_WITH_AS(select<Shelf>().prefetch(books).load(db),
                         doctest::Contains("two rows of \"ll_shelves\" have the same id"), error);
    {
        direct_threshold sized_at_end(std::numeric_limits<std::size_t>::max());
        CHECK_THROWS_WITH_AS(select<Shelf>().prefetch(books).load(db),
                             doctest::Contains("two rows of \"ll_shelves\" have the same id"), error);
    }
    const auto two = select<Shelf>().where(col<&Shelf::id> == 2).prefetch(books).load(db);
    REQUIRE(two.size() == 1);
    CHECK(ids(two[0][books]) == std::vector<std::int64_t>{11});
}

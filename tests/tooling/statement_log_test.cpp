// The statement log: a hook sees every executed statement (reads, writes, failures,
// pooled sessions on several threads) with its SQL, values, rows, duration, connection
// and thread; the line sink redacts values by default and honours the slow threshold.
#include <algorithm>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "../support/backend.hpp"
#include "../support/models.hpp"
#include "eagerload/insert.hpp"
#include "eagerload/schema.hpp"
#include "eagerload/select.hpp"
#include "eagerload/statement_log.hpp"
#include "eagerload/update.hpp"

using namespace eagerload;
using models::User;

namespace {
struct seen {
    std::string sql;
    std::string values;
    std::size_t rows;
    bool returns_rows;
    bool failed;
    std::size_t connection;
    std::size_t thread_number;
    double ms;
};
struct recorder {
    std::mutex m;
    std::vector<seen> events;
    statement_hook::function fn() {
        return [this](const statement_event& e) {
            std::lock_guard lock(m);
            events.push_back({std::string(e.sql), format_values(e.values, show_values::shown), e.rows, e.returns_rows,
                              e.failed, e.connection, e.thread_number, e.milliseconds()});
        };
    }
};
}  // namespace

EAGERLOAD_TEST("a statement hook sees reads and writes with values, rows and connection") {
    create_table<User>(db);
    recorder r;
    {
        statement_hook hook(db, r.fn());
        insert(db, User{1, "ann", "ann@x", {}});
        insert(db, User{2, "bob", "bob@x", {}});
        const auto q = select<User>().where(col<&User::id> >= 1).order_by(asc<&User::id>);
        CHECK(q.all(db).size() == 2);
        update<User>().set<&User::name>(std::string("zed")).where(col<&User::id> == 2).execute(db);
    }
    select<User>().all(db);  // after the hook's scope: not seen
    REQUIRE(r.events.size() == 4);
    CHECK(r.events[0].sql.starts_with("INSERT INTO"));
    CHECK_FALSE(r.events[0].returns_rows);
    CHECK(r.events[0].values.find("'ann@x'") != std::string::npos);
    CHECK(r.events[2].sql == select<User>().where(col<&User::id> >= 1).order_by(asc<&User::id>).sql(db.sql_dialect()));
    CHECK(r.events[2].returns_rows);
    CHECK(r.events[2].rows == 2);
    CHECK(r.events[2].values == "[1]");
    CHECK(r.events[3].sql.starts_with("UPDATE"));
    CHECK(r.events[3].rows == 1);  // rows changed
    for (const seen& e : r.events) {
        CHECK(e.connection == 0);
        CHECK(e.ms >= 0);
        CHECK_FALSE(e.failed);
        CHECK(e.thread_number == r.events[0].thread_number);
    }
}

EAGERLOAD_TEST("a statement hook sees a failed statement as failed") {
    recorder r;
    statement_hook hook(db, r.fn());
    CHECK_THROWS_AS(select<User>().all(db), database_error);  // no such table
    REQUIRE(r.events.size() == 1);
    CHECK(r.events[0].failed);
    CHECK(r.events[0].rows == 0);
}

EAGERLOAD_TEST("a statement hook sees pooled sessions on several threads") {
    create_table<User>(db);
    insert(db, User{1, "a", "a@x", {}});
    auto pooled = ctx.open(3);
    recorder r;
    statement_hook hook(pooled, r.fn());
    std::vector<std::thread> threads;
    for (int t = 0; t < 3; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 10; ++i) CHECK(get<User>(pooled, 1).id == 1);
        });
    for (auto& th : threads) th.join();
    REQUIRE(r.events.size() == 30);
    std::set<std::size_t> thread_numbers;
    for (const seen& e : r.events) {
        CHECK(e.connection < 3);
        CHECK(e.rows == 1);
        thread_numbers.insert(e.thread_number);
    }
    CHECK(thread_numbers.size() == 3);
}

EAGERLOAD_TEST("a this_thread hook sees only its own thread's statements") {
    create_table<User>(db);
    auto pooled = ctx.open(2);
    recorder r;
    statement_hook hook(pooled, r.fn(), counter_scope::this_thread);
    std::thread other([&] { select<User>().all(pooled); });
    other.join();
    select<User>().count(pooled);
    REQUIRE(r.events.size() == 1);
    CHECK(r.events[0].sql.starts_with("SELECT count(*)"));
}

EAGERLOAD_TEST("the line sink redacts values unless told, and writes only slow statements when given a threshold") {
    create_table<User>(db);
    insert(db, User{1, "ann", "secret@example.com", {}});
    std::vector<std::string> lines;
    auto sink = [&](const std::string& l) { lines.push_back(l); };
    {
        statement_hook hook(db, log_lines(sink));
        select<User>().where(col<&User::email> == std::string("secret@example.com")).all(db);
    }
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].starts_with("eagerload: "));
    CHECK(lines[0].find(" ms, 1 row, connection 0, thread ") != std::string::npos);
    CHECK(lines[0].find("secret") == std::string::npos);
    CHECK(lines[0].ends_with("[1 value: text(18)]"));
    lines.clear();
    {
        statement_hook hook(db, log_lines(sink, {.values = show_values::shown}));
        select<User>().where(col<&User::email> == std::string("secret@example.com")).all(db);
    }
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].ends_with("['secret@example.com']"));
    lines.clear();
    {
        statement_hook slow_only(db, log_lines(sink, {.slow = std::chrono::hours(1)}));
        statement_hook everything(db, log_lines(sink, {.slow = std::chrono::nanoseconds(1)}));
        select<User>().all(db);
    }
    REQUIRE(lines.size() == 1);  // only the 1 ns threshold let it through
    CHECK(lines[0].starts_with("eagerload: SLOW "));
}

TEST_CASE("format_line and format_values: the documented forms") {
    const std::vector<detail::param> ps{detail::param::integer(7), detail::param::text("abc"), detail::param{}};
    CHECK(format_values(ps, show_values::redacted) == "[3 values: int, text(3), null]");
    CHECK(format_values(ps, show_values::shown) == "[7, 'abc', NULL]");
    CHECK(format_values(ps, show_values::none).empty());
    statement_event e;
    e.sql = "SELECT 1";
    e.values = ps;
    e.duration = std::chrono::microseconds(1500);
    e.rows = 2;
    e.connection = 1;
    e.thread_number = 4;
    CHECK(format_line(e) == "eagerload: 1.500 ms, 2 rows, connection 1, thread 4: SELECT 1 [3 values: int, text(3), null]");
    CHECK(format_line(e, show_values::none, std::chrono::milliseconds(1)) ==
          "eagerload: SLOW 1.500 ms, 2 rows, connection 1, thread 4: SELECT 1");
}

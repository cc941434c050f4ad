// A bulk write is all or nothing, however many statements it takes.
#include <vector>

#include "../support/backend.hpp"
#include "../support/models.hpp"
#include "eagerload/counter.hpp"
#include "eagerload/errors.hpp"
#include "eagerload/insert.hpp"
#include "eagerload/schema.hpp"
#include "eagerload/select.hpp"

using namespace eagerload;
using models::User;

namespace {
std::vector<User> users(std::int64_t n) {
    std::vector<User> rows;
    rows.reserve(static_cast<std::size_t>(n));
    for (std::int64_t i = 1; i <= n; ++i) rows.push_back(User{i, "u", "u@x", {}});
    return rows;
}
}  // namespace

EAGERLOAD_TEST("insert_all is all or nothing across its 50,000-row statements") {
    create_table<User>(db);
    auto rows = users(100'002);
    rows.back().id = 7;  // the third statement repeats a key the first one inserted
    {
        query_counter counter(db);
        CHECK_THROWS_AS(insert_all(db, rows), database_error);
        CHECK(counter.count() == 3);  // two statements succeeded before the third failed
    }
    CHECK(select<User>().count(db) == 0);

    rows.back().id = 100'002;
    insert_all(db, rows);
    CHECK(select<User>().count(db) == 100'002);
}

EAGERLOAD_TEST("insert_all inside the caller's transaction leaves the decision to that transaction") {
    create_table<User>(db);
    const auto rows = users(100'001);
    {
        transaction tx(db);
        insert_all(db, rows);  // no transaction of its own: that would be "already open"
        CHECK(select<User>().count(db) == 100'001);
        tx.rollback();
    }
    CHECK(select<User>().count(db) == 0);
    {
        transaction tx(db);
        insert_all(db, rows);
        tx.commit();
    }
    CHECK(select<User>().count(db) == 100'001);
}

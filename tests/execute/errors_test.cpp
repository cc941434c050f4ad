// Every error names what is involved: table, column, key, types, statement, target.
#include <string>

#include "../support/backend.hpp"
#include "../support/models.hpp"
#include "eagerload/detail/execute.hpp"
#include "eagerload/insert.hpp"
#include "eagerload/schema.hpp"
#include "eagerload/select.hpp"

using namespace eagerload;
using models::Task;
using models::User;

namespace {
// The same table as User, but with a nullable name, to put a NULL where User has none.
struct LooseUser {
    std::int64_t id;
    std::optional<std::string> name;
    std::string email;
    std::optional<std::string> avatar_url;
};
// The same table as User, but reading email as an integer.
struct NumberUser {
    std::int64_t id;
    std::string name;
    std::int64_t email;
    std::optional<std::string> avatar_url;
};
// A table that does not exist, and a column that does not.
struct Ghost {
    std::int64_t id;
};
struct UserWithGhostColumn {
    std::int64_t id;
    std::string ghost;
};
}  // namespace
BOOST_HANA_ADAPT_STRUCT(LooseUser, id, name, email, avatar_url);
BOOST_HANA_ADAPT_STRUCT(NumberUser, id, name, email, avatar_url);
BOOST_HANA_ADAPT_STRUCT(Ghost, id);
BOOST_HANA_ADAPT_STRUCT(UserWithGhostColumn, id, ghost);
template <>
struct eagerload::model<LooseUser> {
    static constexpr std::string_view table = "loose_users";
    static constexpr auto key = &LooseUser::id;
};
template <>
struct eagerload::model<NumberUser> {
    static constexpr std::string_view table = "loose_users";
    static constexpr auto key = &NumberUser::id;
};
template <>
struct eagerload::model<Ghost> {
    static constexpr std::string_view table = "ghosts";
    static constexpr auto key = &Ghost::id;
};
template <>
struct eagerload::model<UserWithGhostColumn> {
    static constexpr std::string_view table = "users";
    static constexpr auto key = &UserWithGhostColumn::id;
};
// A model that reads the loose table as the strict User would.
namespace {
struct StrictUser {
    std::int64_t id;
    std::string name;
    std::string email;
    std::optional<std::string> avatar_url;
};
}  // namespace
BOOST_HANA_ADAPT_STRUCT(StrictUser, id, name, email, avatar_url);
template <>
struct eagerload::model<StrictUser> {
    static constexpr std::string_view table = "loose_users";
    static constexpr auto key = &StrictUser::id;
};

EAGERLOAD_TEST("NULL into a non-optional member names table, column and the row's key") {
    create_table<LooseUser>(db);
    insert(db, LooseUser{41, "fine", "a@x", {}});
    insert(db, LooseUser{42, std::nullopt, "b@x", {}});
    CHECK_THROWS_WITH_AS(select<StrictUser>().all(db),
                         doctest::Contains("NULL in column \"loose_users\".\"name\" of the row with id = 42"),
                         null_value_error);
    CHECK_THROWS_WITH_AS(select<StrictUser>().all(db), doctest::Contains("std::optional<std::string>"),
                         null_value_error);
    CHECK(get<StrictUser>(db, 41).name == "fine");  // the good row still loads
}

EAGERLOAD_TEST("a value the member cannot hold names the column and both types") {
    create_table<LooseUser>(db);
    insert(db, LooseUser{1, "n", "not a number", {}});
    CHECK_THROWS_WITH_AS(select<NumberUser>().all(db),
                         doctest::Contains("column \"loose_users\".\"email\" of the row with id = 1: cannot hold "
                                           "database type "),
                         conversion_error);
    CHECK_THROWS_WITH_AS(select<NumberUser>().all(db),
                         doctest::Contains(" value 'not a number' exactly in member type int64_t"), conversion_error);
}

EAGERLOAD_TEST("a timestamp column holding something else names the column") {
    create_table<Task>(db);
    // Written behind the library's back, as another tool might.
    detail::execute(db, "INSERT INTO tasks (id, project_id, title, priority, created_at) VALUES (1, 1, 't', 1, " +
                            std::string(ctx.quirks().bad_timestamp_literal) + ")");
    CHECK_THROWS_WITH_AS(select<Task>().all(db),
                         doctest::Contains("column \"tasks\".\"created_at\" of the row with id = 1: cannot hold database type"),
                         conversion_error);
}

EAGERLOAD_TEST("a missing table or column gives the database's message and the statement") {
    create_table<User>(db);
    try {
        select<Ghost>().all(db);
        FAIL("expected a database_error");
    } catch (const database_error& e) {
        const std::string what = e.what();
        CHECK(what.find("ghosts") != std::string::npos);
        const std::string ghosts = ctx.quoted("ghosts");
        CHECK(what.find("statement: SELECT " + ghosts + "." + ctx.quoted("id") + " FROM " + ghosts) != std::string::npos);
        CHECK(e.sql() == select<Ghost>().sql(db.sql_dialect()));
    }
    try {
        select<UserWithGhostColumn>().all(db);
        FAIL("expected a database_error");
    } catch (const database_error& e) {
        const std::string what = e.what();
        CHECK(what.find("ghost") != std::string::npos);
        const std::string users = ctx.quoted("users");
        CHECK(what.find("statement: SELECT " + users + "." + ctx.quoted("id") + ", " + users + "." + ctx.quoted("ghost")) !=
              std::string::npos);
    }
}

EAGERLOAD_TEST("an error message stays short even when a huge list was bound") {
    std::vector<std::int64_t> ids(100000);
    for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<std::int64_t>(i);
    try {
        select<Ghost>().where(col<&Ghost::id>.in(ids)).all(db);
        FAIL("expected a database_error");
    } catch (const database_error& e) {
        CHECK(std::string(e.what()).size() < 5000);
    }
}

TEST_CASE("an unreachable PostgreSQL names the target with the password redacted [postgresql]") {
    try {
        database::open("postgresql:host=127.0.0.1 port=1 dbname=nope user=someone password=hunter2 connect_timeout=3");
        FAIL("expected a connection_error");
    } catch (const connection_error& e) {
        const std::string what = e.what();
        CAPTURE(what);
        CHECK(what.find("host=127.0.0.1 port=1 dbname=nope user=someone password=***") != std::string::npos);
        CHECK(what.find("hunter2") == std::string::npos);
    }
}

TEST_CASE("an unreachable MariaDB names the target with the password redacted [mariadb]") {
    for (const char* scheme : {"mariadb:", "mysql:"}) {
        CAPTURE(scheme);
        try {
            database::open(std::string(scheme) + "host=127.0.0.1 port=1 db=nope user=someone password=hunter2 connect_timeout=3");
            FAIL("expected a connection_error");
        } catch (const connection_error& e) {
            const std::string what = e.what();
            CAPTURE(what);
            CHECK(what.find("cannot connect to mariadb database") != std::string::npos);
            CHECK(what.find("host=127.0.0.1 port=1 db=nope user=someone password=***") != std::string::npos);
            CHECK(what.find("hunter2") == std::string::npos);
        }
    }
}

TEST_CASE("SOCI's pass= form of the MariaDB password is redacted too [mariadb]") {
    try {
        database::open("mariadb:host=127.0.0.1 port=1 db=nope user=someone pass='my secret' connect_timeout=3");
        FAIL("expected a connection_error");
    } catch (const connection_error& e) {
        const std::string what = e.what();
        CAPTURE(what);
        CHECK(what.find("pass=***") != std::string::npos);
        CHECK(what.find("secret") == std::string::npos);
    }
}

TEST_CASE("an unreachable SQLite file names the path [sqlite]") {
    CHECK_THROWS_WITH_AS(database::open("sqlite:/nonexistent-dir/sub/x.db"),
                         doctest::Contains("cannot connect to sqlite database \"/nonexistent-dir/sub/x.db\""),
                         connection_error);
}

TEST_CASE("an unknown database URL is rejected with the expected forms") {
    CHECK_THROWS_WITH_AS(database::open("oracle://x"), doctest::Contains("expected one of \"sqlite:PATH\""), error);
    CHECK_THROWS_WITH_AS(database::open("oracle://x"), doctest::Contains("\"mariadb:db=D user=U host=H port=P\""), error);
    // A PostgreSQL URI is a known form (tests/execute/connection_string_test.cpp): port 1 refuses it.
    CHECK_THROWS_WITH_AS(database::open("postgresql:postgresql://u:secret@127.0.0.1:1/db?connect_timeout=3"),
                         doctest::Contains("user=u password=*** host=127.0.0.1 port=1 dbname=db"), connection_error);
}

// A database can wrap a soci::connection_pool the caller owns.
#include <doctest/doctest.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <filesystem>
#include <thread>
#include <vector>

#include "../support/models.hpp"
#include "eagerload/counter.hpp"
#include "eagerload/insert.hpp"
#include "eagerload/schema.hpp"
#include "eagerload/select.hpp"

using namespace eagerload;
using models::User;

TEST_CASE("database::from_pool runs statements on the caller's pool from several threads [sqlite]") {
    const auto path = std::filesystem::temp_directory_path() / "eagerload_from_pool_test.db";
    std::filesystem::remove(path);
    {
        soci::connection_pool pool(3);
        for (std::size_t i = 0; i < 3; ++i) pool.at(i).open(soci::sqlite3, "db=" + path.string() + " timeout=30");
        auto db = database::from_pool(pool, 3, dialect::sqlite);
        CHECK(db.pool_size() == 3);
        CHECK(db.sql_dialect() == dialect::sqlite);
        create_table<User>(db);
        insert(db, User{1, "a", "a@x", {}});
        query_counter counter(db);
        std::vector<std::thread> threads;
        for (int t = 0; t < 3; ++t)
            threads.emplace_back([&] {
                for (int i = 0; i < 10; ++i) CHECK(get<User>(db, 1).name == "a");
            });
        for (auto& th : threads) th.join();
        CHECK(counter.count() == 30);
    }
    std::filesystem::remove(path);
}

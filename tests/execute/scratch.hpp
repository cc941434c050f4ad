#pragma once
// A database of a test's own, for tests that open handles with open_options or kill
// sessions: a temporary SQLite file, or a private schema in $EAGERLOAD_TEST_POSTGRES
// (dropped afterwards). SCRATCH_TEST("name") runs its body on both backends with
// `scratch& s` in scope.
#include <doctest/doctest.h>
#include <soci/soci.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <unistd.h>

#include "eagerload/database.hpp"
#include "eagerload/detail/execute.hpp"

namespace eagerload_test {

inline std::string postgres_base() {
    const char* env = std::getenv("EAGERLOAD_TEST_POSTGRES");
    if (!env || !*env) throw std::runtime_error("EAGERLOAD_TEST_POSTGRES is not set: run the suite with scripts/test.sh");
    return env;
}

class scratch {
public:
    explicit scratch(eagerload::dialect d) : dialect_(d) {
        static std::atomic<int> n{0};
        name_ = "el_scratch_" + std::to_string(::getpid()) + "_" + std::to_string(n++);
        if (d == eagerload::dialect::sqlite) {
            target_ = (std::filesystem::temp_directory_path() / (name_ + ".db")).string();
            std::filesystem::remove(target_);
            return;
        }
        auto admin = eagerload::database::postgresql(postgres_base());
        eagerload::detail::execute(admin, "DROP SCHEMA IF EXISTS " + name_ + " CASCADE");
        eagerload::detail::execute(admin, "CREATE SCHEMA " + name_);
        target_ = postgres_base() + " options='-c search_path=" + name_ + "'";
    }
    ~scratch() {
        try {
            if (dialect_ == eagerload::dialect::sqlite) {
                std::filesystem::remove(target_);
                std::filesystem::remove(target_ + "-journal");
            } else {
                auto admin = eagerload::database::postgresql(postgres_base());
                eagerload::detail::execute(admin, "DROP SCHEMA " + name_ + " CASCADE");
            }
        } catch (const std::exception& e) {
            std::fprintf(stderr, "scratch cleanup failed: %s\n", e.what());
        }
    }
    scratch(const scratch&) = delete;
    scratch& operator=(const scratch&) = delete;

    eagerload::dialect dialect() const noexcept { return dialect_; }
    // The SQLite path or the PostgreSQL conninfo (with its search_path).
    const std::string& target() const noexcept { return target_; }
    // PostgreSQL: the private schema.
    const std::string& schema() const noexcept { return name_; }
    eagerload::database open(eagerload::open_options o = {}) const {
        return dialect_ == eagerload::dialect::sqlite ? eagerload::database::sqlite(target_, o)
                                                      : eagerload::database::postgresql(target_, o);
    }

private:
    eagerload::dialect dialect_;
    std::string name_;
    std::string target_;
};

// PostgreSQL: the server process behind a pooled session, and a way to kill it as an
// administrator (or a failover, or an idle timeout) would.
inline long long backend_pid(const eagerload::database& db, std::size_t slot) {
    long long pid = 0;
    db.soci_pool().at(slot) << "SELECT pg_backend_pid()", soci::into(pid);
    return pid;
}

inline void terminate_backend(long long pid) {
    auto admin = eagerload::database::postgresql(postgres_base());
    soci::session& s = admin.soci_pool().at(0);
    int signalled = 0;
    s << "SELECT CAST(pg_terminate_backend(CAST(:p AS integer)) AS integer)", soci::use(pid), soci::into(signalled);
    REQUIRE(signalled == 1);
    for (int i = 0; i < 1000; ++i) {  // the backend exits asynchronously
        long long left = 0;
        s << "SELECT count(*) FROM pg_stat_activity WHERE pid = CAST(:p AS integer)", soci::use(pid),
            soci::into(left);
        if (left == 0) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    FAIL("PostgreSQL backend " << pid << " did not exit");
}

}  // namespace eagerload_test

#define SCRATCH_TEST_CAT2_(a, b) a##b
#define SCRATCH_TEST_CAT_(a, b) SCRATCH_TEST_CAT2_(a, b)
#define SCRATCH_TEST_IMPL_(fn, name)                                   \
    static void fn(::eagerload_test::scratch& s);                      \
    TEST_CASE(name " [sqlite]") {                                      \
        ::eagerload_test::scratch s(::eagerload::dialect::sqlite);     \
        fn(s);                                                         \
    }                                                                  \
    TEST_CASE(name " [postgresql]") {                                  \
        ::eagerload_test::scratch s(::eagerload::dialect::postgresql); \
        fn(s);                                                         \
    }                                                                  \
    static void fn([[maybe_unused]] ::eagerload_test::scratch& s)
#define SCRATCH_TEST(name) SCRATCH_TEST_IMPL_(SCRATCH_TEST_CAT_(scratch_test_body_, __LINE__), name)

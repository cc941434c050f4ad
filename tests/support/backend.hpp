#pragma once
// One test suite, every backend: EAGERLOAD_TEST("name") defines the body once and
// registers it as "name [sqlite]" and "name [postgresql]". PostgreSQL comes from
// $EAGERLOAD_TEST_POSTGRES (scripts/test.sh starts a throwaway server); when it is
// missing, the PostgreSQL cases FAIL: they never skip silently.
#include <doctest/doctest.h>

#include <string>

#include "eagerload/database.hpp"

namespace eagerload_test {

// A fresh, empty database for one test case: an in-memory or temporary-file SQLite
// database, or a private schema in the test PostgreSQL database (dropped afterwards).
class context {
public:
    explicit context(eagerload::dialect d);
    ~context();
    context(const context&) = delete;
    context& operator=(const context&) = delete;

    eagerload::dialect dialect() const noexcept { return dialect_; }
    // Another handle on the same database, with its own pool.
    eagerload::database open(std::size_t pool_size) const;

    eagerload::database db;

private:
    eagerload::dialect dialect_;
    std::string target_;   // sqlite path or postgresql conninfo with search_path
    std::string schema_;   // postgresql only
};

}  // namespace eagerload_test

#define EAGERLOAD_TEST_CAT2_(a, b) a##b
#define EAGERLOAD_TEST_CAT_(a, b) EAGERLOAD_TEST_CAT2_(a, b)
#define EAGERLOAD_TEST_IMPL_(fn, name)                                                   \
    static void fn(::eagerload_test::context& ctx, ::eagerload::database& db);           \
    TEST_CASE(name " [sqlite]") {                                                        \
        ::eagerload_test::context ctx(::eagerload::dialect::sqlite);                     \
        fn(ctx, ctx.db);                                                                 \
    }                                                                                    \
    TEST_CASE(name " [postgresql]") {                                                    \
        ::eagerload_test::context ctx(::eagerload::dialect::postgresql);                 \
        fn(ctx, ctx.db);                                                                 \
    }                                                                                    \
    static void fn([[maybe_unused]] ::eagerload_test::context& ctx, [[maybe_unused]] ::eagerload::database& db)
#define EAGERLOAD_TEST(name) EAGERLOAD_TEST_IMPL_(EAGERLOAD_TEST_CAT_(eagerload_test_body_, __LINE__), name)

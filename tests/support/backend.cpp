#include "backend.hpp"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <unistd.h>

#include "eagerload/detail/execute.hpp"

namespace eagerload_test {
namespace {

std::string unique_name() {
    static std::atomic<int> n{0};
    std::random_device rd;
    return "el_" + std::to_string(::getpid()) + "_" + std::to_string(n++) + "_" + std::to_string(rd() % 100000);
}

std::string postgres_conninfo() {
    const char* env = std::getenv("EAGERLOAD_TEST_POSTGRES");
    if (!env || !*env)
        throw std::runtime_error("EAGERLOAD_TEST_POSTGRES is not set: run the suite with `bash scripts/test.sh`, "
                                 "which starts a throwaway PostgreSQL and sets it");
    return env;
}

}  // namespace

context::context(eagerload::dialect d) : db(eagerload::database::open("sqlite::memory:")), dialect_(d) {
    if (d == eagerload::dialect::sqlite) {
        // A file, so that handles with several pooled sessions see the same data.
        target_ = (std::filesystem::temp_directory_path() / (unique_name() + ".db")).string();
        db = eagerload::database::sqlite(target_);
        return;
    }
    const std::string base = postgres_conninfo();
    schema_ = unique_name();
    auto admin = eagerload::database::postgresql(base);
    eagerload::detail::execute(admin, "CREATE SCHEMA " + schema_);
    target_ = base + " options='-c search_path=" + schema_ + "'";
    db = eagerload::database::postgresql(target_);
}

context::~context() {
    try {
        if (dialect_ == eagerload::dialect::sqlite) {
            std::filesystem::remove(target_);
        } else {
            db = eagerload::database::open("sqlite::memory:");  // close our sessions first
            auto admin = eagerload::database::postgresql(postgres_conninfo());
            eagerload::detail::execute(admin, "DROP SCHEMA " + schema_ + " CASCADE");
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "test cleanup failed: %s\n", e.what());
    }
}

eagerload::database context::open(std::size_t pool_size) const {
    eagerload::open_options o;
    o.pool_size = pool_size;
    return dialect_ == eagerload::dialect::sqlite ? eagerload::database::sqlite(target_, o)
                                                  : eagerload::database::postgresql(target_, o);
}

}  // namespace eagerload_test

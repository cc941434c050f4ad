#pragma once
// A load's plan, visible before it runs: the statements, in order.
//
//   auto p = dashboard.plan(db.sql_dialect());
//   assert(p.statements.size() == decltype(dashboard)::statements);
//   fmt::print("{}", p.to_string());
#include <string>
#include <vector>

namespace eagerload {

struct plan {
    std::vector<std::string> statements;

    std::size_t size() const noexcept { return statements.size(); }
    // "1: SELECT ...\n2: SELECT ...\n"
    std::string to_string() const {
        std::string out;
        for (std::size_t i = 0; i < statements.size(); ++i)
            out += std::to_string(i + 1) + ": " + statements[i] + "\n";
        return out;
    }
};

}  // namespace eagerload

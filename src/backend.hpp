#pragma once
// What differs between SQL dialects, behind one interface: each backend is its own
// unit (src/backends/sqlite.cpp, src/backends/postgresql.cpp), the core knows none.
#include <string>
#include <string_view>
#include <vector>

#include "eagerload/database.hpp"
#include "eagerload/detail/value.hpp"

namespace soci {
class session;
}

namespace eagerload::detail {

struct table_info;

class backend {
public:
    virtual ~backend() = default;
    virtual dialect kind() const noexcept = 0;
    // Opens `s` on `target` and prepares the session (pragmas, message levels).
    virtual void open(soci::session& s, const std::string& target) const = 0;
    // `column IN list`, the list being ONE bound parameter named `placeholder`.
    virtual std::string in_list(std::string_view column_sql, col_type t, std::string_view placeholder) const = 0;
    // The single parameter value in_list() binds.
    virtual std::string encode_list(col_type t, const std::vector<param>& items) const = 0;
    // The column type in CREATE TABLE.
    virtual const char* sql_type(col_type t) const = 0;
    virtual std::string begin(isolation level) const = 0;
    // One INSERT statement for many rows given column-major; appends its parameters.
    virtual std::string insert_many(const table_info& t, const std::vector<std::vector<param>>& columns,
                                    params& ps) const = 0;
    // LIMIT/OFFSET clause; placeholders already allocated by the caller.
    virtual std::string limit_offset(const std::string* limit_ph, const std::string* offset_ph) const = 0;
};

const backend& sqlite_backend();
const backend& postgresql_backend();
const backend& backend_for(dialect d);

// Shared text helpers for the backends.
void append_json_string(std::string& out, std::string_view s);
std::string format_double(double v);

}  // namespace eagerload::detail

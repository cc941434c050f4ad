#pragma once
// Connection strings: parsing and redaction, as small pure functions (no I/O, no SOCI),
// one per form. Each backend (src/backends/*.cpp) turns what they parse into what its
// SOCI backend takes, and says which keys hold secrets. Errors are
// connection_string_error, whose messages never contain a value from the input: only
// keys, positions and what was expected.
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace eagerload::detail {

struct conn_param {
    std::string key, value;
    bool operator==(const conn_param&) const = default;
};
using conn_params = std::vector<conn_param>;

// Thrown by the parsers. Derives from std::invalid_argument; the database layer wraps it
// into eagerload::error with the backend's name.
struct connection_string_error : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

// The key=value form of libpq and of SOCI's MySQL backend: `key=value` pairs separated
// by whitespace, with optional whitespace around '='. A value is either unquoted (up to
// the next whitespace) or single-quoted ('my secret'); in both a backslash takes the next
// character literally (\' and \\). Keys are letters, digits and '_'.
conn_params parse_key_value(std::string_view s);

// scheme://[user[:password]@][host[:port][,host[:port]...]][/path][?key=value[&...]]
// (RFC 3986 as libpq reads it). Every part is percent-decoded; an IPv6 host is written
// in brackets ([::1]). `hosts` keeps the order given; a missing port is "".
struct conn_uri {
    std::string scheme;
    bool has_user = false, has_password = false;
    std::string user, password;
    struct host_port {
        std::string host, port;
    };
    std::vector<host_port> hosts;
    bool has_path = false;
    std::string path;  // without its leading '/'
    conn_params query;
};
// Is `s` a URI of one of `schemes` ("postgresql://...")?
bool is_uri(std::string_view s, std::span<const std::string_view> schemes);
conn_uri parse_uri(std::string_view s);

// %XX decoding; `part` names the part of the string in errors.
std::string percent_decode(std::string_view s, const char* part);
// Everything but RFC 3986's unreserved characters as %XX.
std::string percent_encode(std::string_view s);

// `key='value' ...`, every value quoted with \ and ' escaped (SOCI MySQL, libpq).
std::string render_key_value(const conn_params& ps);
// For messages: `key=value ...` (quoted where needed), with the value of every key in
// `secret_keys` as ***.
std::string describe(const conn_params& ps, std::span<const std::string_view> secret_keys);

// Free text (an error message of SOCI or a client library, anything that may echo a
// connection string): every value of a key ending in "pass" or "password" (key=value,
// key='value', key="value", URI query), every URI userinfo password, and every
// occurrence of each of `secrets` becomes ***.
std::string redact_text(std::string_view text, std::span<const std::string> secrets = {});

}  // namespace eagerload::detail

// libFuzzer target: connection-string parsing and redaction (src/connection_string.hpp),
// the text a user hands database::open, in both of its forms.
//
// The first byte picks the form, the rest is the text: key=value (libpq, SOCI MySQL), or
// a URI (postgresql://, mysql://; the scheme is put in front of the rest). Properties, each
// a crash when broken:
//   - parsing is total: it returns or throws connection_string_error, nothing else;
//   - an error message echoes nothing of the input but keys: every "quoted" part of it
//     is made of key characters, and it is printable ASCII (the input may be anything);
//   - key=value: what parses renders (render_key_value) and parses back to the same
//     pairs; describe() does not depend on the value of a secret key at all (it is the
//     same with every secret value replaced), so it shows none;
//   - redact_text(text, secrets), as the database layer calls it on a message that may
//     echo the connection string with the secrets the backends collect (each secret value,
//     and percent-encoded): no secret value is left in the result, neither in the rendered
//     key=value text nor in the URI as the user typed it (its password as written, when
//     that text occurs once in the input). Secrets with a '*' are left out: "***" itself
//     could spell them.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "connection_string.hpp"

namespace {

using namespace eagerload::detail;

[[noreturn]] void fail(const char* what, std::string_view detail = {}) {
    std::fprintf(stderr, "connection_string fuzz: %s: %.*s\n", what, static_cast<int>(detail.size()), detail.data());
    std::abort();
}

bool key_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool secret_key(std::string_view key) {
    std::string k;
    for (char c : key) k += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    return k == "password" || k.ends_with("pass") || k.ends_with("password");
}

void check_message(const connection_string_error& e) {
    const std::string_view m = e.what();
    for (char c : m)
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e)
            fail("an error message holds a byte that is not printable ASCII", m);
    for (std::size_t at = m.find('"'); at != std::string_view::npos;) {
        const std::size_t end = m.find('"', at + 1);
        if (end == std::string_view::npos) fail("an error message has an unbalanced quote", m);
        for (char c : m.substr(at + 1, end - at - 1))
            if (!key_char(c)) fail("an error message quotes something that is not a key", m);
        at = m.find('"', end + 1);
    }
}

std::size_t occurrences(std::string_view text, std::string_view what) {
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string_view::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

void no_secret_left(const std::string& redacted, const std::string& secret, std::string_view input) {
    if (secret.empty() || secret.find('*') != std::string::npos) return;
    if (redacted.find(secret) != std::string::npos) fail("redact_text left a secret value", input);
}

void key_value(std::string_view s) {
    conn_params ps;
    try {
        ps = parse_key_value(s);
    } catch (const connection_string_error& e) {
        check_message(e);
        return;
    }
    const std::string rendered = render_key_value(ps);
    conn_params back;
    try {
        back = parse_key_value(rendered);
    } catch (const connection_string_error&) {
        fail("the rendered text does not parse", rendered);
    }
    if (back != ps) fail("the rendered text parses to other pairs", rendered);

    static constexpr std::string_view keys[] = {"password", "sslpassword"};
    conn_params blank = ps;
    std::vector<std::string> secrets;
    for (conn_param& p : blank)
        if (secret_key(p.key) || p.key == "sslpassword") {
            if (!p.value.empty()) {
                secrets.push_back(p.value);
                secrets.push_back(percent_encode(p.value));
            }
            p.value = "x";
        }
    if (describe(ps, keys) != describe(blank, keys)) fail("describe() shows a secret value", s);
    const std::string redacted = redact_text(rendered, secrets);
    const std::string redacted_input = redact_text(s, secrets);
    for (std::size_t i = 0; i < secrets.size(); i += 2) {
        no_secret_left(redacted, secrets[i], s);
        no_secret_left(redacted_input, secrets[i], s);
    }
}

void uri(std::string_view s) {
    conn_uri u;
    try {
        u = parse_uri(s);
    } catch (const connection_string_error& e) {
        check_message(e);
        return;
    }
    std::vector<std::string> secrets;
    if (u.has_password && !u.password.empty()) {
        secrets.push_back(u.password);
        secrets.push_back(percent_encode(u.password));
    }
    for (const conn_param& p : u.query)
        if (secret_key(p.key) && !p.value.empty()) {
            secrets.push_back(p.value);
            secrets.push_back(percent_encode(p.value));
        }
    const std::string redacted = redact_text(s, secrets);
    for (std::size_t i = 0; i < secrets.size(); i += 2) no_secret_left(redacted, secrets[i], s);
    // The password as typed (percent-encoded or not): between the first ':' and the last
    // '@' of the authority.
    if (u.has_password) {
        const std::size_t start = s.find("://") + 3;
        std::string_view rest = s.substr(start);
        rest = rest.substr(0, rest.find_first_of("/?"));
        const std::size_t at = rest.rfind('@');
        const std::string_view userinfo = rest.substr(0, at);
        const std::string_view typed = userinfo.substr(userinfo.find(':') + 1);
        if (!typed.empty() && typed.find('*') == std::string_view::npos && occurrences(s, typed) == 1 &&
            redacted.find(typed) != std::string::npos)
            fail("redact_text left the URI's password as typed", s);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
    static constexpr const char* schemes[] = {"postgresql://", "postgres://", "mysql://", "mariadb://"};
    try {
        switch (data[0] % 5) {
        case 0: key_value(rest); break;
        default: uri(std::string(schemes[data[0] % 5 - 1]) + std::string(rest)); break;
        }
    } catch (const connection_string_error&) {
        fail("connection_string_error escaped a check");
    }
    // Any other exception escapes: libFuzzer reports it (parsing is not total).
    return 0;
}

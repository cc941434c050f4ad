#include "connection_string.hpp"

#include <algorithm>

namespace eagerload::detail {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_key_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

[[noreturn]] void fail(const std::string& what, std::size_t at) {
    throw connection_string_error(what + " (at character " + std::to_string(at + 1) + ")");
}

int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool needs_quotes(std::string_view v) {
    if (v.empty()) return true;
    return std::any_of(v.begin(), v.end(), [](char c) { return is_space(c) || c == '\'' || c == '\\'; });
}

void append_quoted(std::string& out, std::string_view v) {
    out += '\'';
    for (char c : v) {
        if (c == '\'' || c == '\\') out += '\\';
        out += c;
    }
    out += '\'';
}

bool ends_with_pass(std::string_view key) {
    auto ends = [&](std::string_view suffix) {
        if (key.size() < suffix.size()) return false;
        for (std::size_t i = 0; i < suffix.size(); ++i)
            if (lower(key[key.size() - suffix.size() + i]) != suffix[i]) return false;
        return true;
    };
    return ends("pass") || ends("password");
}

// Every occurrence of any of `secrets` as ***, in ONE pass over `text`: at each place
// the longest secret that starts there, and a replacement is never read again. (Each
// secret in turn over the whole text read the *** of the ones before: a secret "*"
// made every *** nine stars, per secret, 3^N stars for N of them; found by fuzzing.)
// No secret without a '*' can be left: each run of text kept as it was had none start
// in it, and the *** between runs cannot be part of one.
std::string replace_secrets(std::string_view text, std::span<const std::string> secrets) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        std::size_t longest = 0;
        for (const std::string& s : secrets)
            if (s.size() > longest && text.compare(i, s.size(), s) == 0) longest = s.size();
        if (longest > 0) {
            out += "***";
            i += longest;
        } else {
            out += text[i++];
        }
    }
    return out;
}

}  // namespace

conn_params parse_key_value(std::string_view s) {
    conn_params out;
    std::size_t i = 0;
    const std::size_t n = s.size();
    for (;;) {
        while (i < n && is_space(s[i])) ++i;
        if (i == n) return out;
        const std::size_t key_start = i;
        while (i < n && is_key_char(s[i])) ++i;
        if (i == key_start) fail("expected a key (letters, digits, '_') of a key=value pair", i);
        std::string key(s.substr(key_start, i - key_start));
        while (i < n && is_space(s[i])) ++i;
        // Not named: a "key" without '=' may be a mistyped secret.
        if (i == n || s[i] != '=') fail("expected '=' after a key", i);
        ++i;
        while (i < n && is_space(s[i])) ++i;
        std::string value;
        if (i < n && s[i] == '\'') {
            const std::size_t open = i++;
            for (;;) {
                if (i == n) fail("the quoted value of \"" + key + "\" has no closing quote", open);
                if (s[i] == '\\') {
                    if (++i == n) fail("the quoted value of \"" + key + "\" ends with a backslash", i - 1);
                } else if (s[i] == '\'') {
                    ++i;
                    break;
                }
                value += s[i++];
            }
            if (i < n && !is_space(s[i])) fail("expected whitespace after the quoted value of \"" + key + "\"", i);
        } else {
            while (i < n && !is_space(s[i])) {
                if (s[i] == '\\') {
                    if (++i == n) fail("the value of \"" + key + "\" ends with a backslash", i - 1);
                } else if (s[i] == '\'') {
                    fail("a quote inside the unquoted value of \"" + key + "\" (quote the whole value, or write \\')",
                         i);
                }
                value += s[i++];
            }
        }
        out.push_back({std::move(key), std::move(value)});
    }
}

bool is_uri(std::string_view s, std::span<const std::string_view> schemes) {
    for (std::string_view scheme : schemes)
        if (s.size() > scheme.size() + 3 - 1 && s.substr(0, scheme.size()) == scheme &&
            s.substr(scheme.size(), 3) == "://")
            return true;
    return false;
}

std::string percent_decode(std::string_view s, const char* part) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%') {
            out += s[i];
            continue;
        }
        const int hi = i + 1 < s.size() ? hex(s[i + 1]) : -1;
        const int lo = i + 2 < s.size() ? hex(s[i + 2]) : -1;
        if (hi < 0 || lo < 0)
            throw connection_string_error(std::string("a '%' in the ") + part +
                                          " of the URI is not followed by two hex digits (write %25 for '%')");
        const char c = static_cast<char>(hi * 16 + lo);
        if (c == '\0') throw connection_string_error(std::string("the ") + part + " of the URI holds %00");
        out += c;
        i += 2;
    }
    return out;
}

std::string percent_encode(std::string_view s) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
            c == '_' || c == '~') {
            out += ch;
        } else {
            out += '%';
            out += digits[c >> 4];
            out += digits[c & 15];
        }
    }
    return out;
}

conn_uri parse_uri(std::string_view s) {
    conn_uri u;
    const std::size_t sep = s.find("://");
    if (sep == std::string_view::npos || sep == 0) throw connection_string_error("expected scheme://... in the URI");
    u.scheme = std::string(s.substr(0, sep));
    std::string_view rest = s.substr(sep + 3);
    for (char c : rest)
        if (is_space(c) || static_cast<unsigned char>(c) < 0x20)
            throw connection_string_error("a URI cannot hold whitespace or control characters: percent-encode them");
    if (rest.find('#') != std::string_view::npos)
        throw connection_string_error("a URI of a database has no #fragment (write %23 for '#')");

    const std::size_t query_at = rest.find('?');
    std::string_view query = query_at == std::string_view::npos ? std::string_view() : rest.substr(query_at + 1);
    rest = rest.substr(0, query_at);
    const std::size_t path_at = rest.find('/');
    if (path_at != std::string_view::npos) {
        u.has_path = true;
        u.path = percent_decode(rest.substr(path_at + 1), "database name");
        if (u.path.find('/') != std::string::npos)
            throw connection_string_error("the path of the URI is one database name: write %2F for a '/' in it");
    }
    std::string_view authority = rest.substr(0, path_at);

    // userinfo: up to the LAST '@' (an unencoded '@' in a password is common).
    if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
        const std::string_view userinfo = authority.substr(0, at);
        authority = authority.substr(at + 1);
        u.has_user = true;
        const std::size_t colon = userinfo.find(':');
        u.user = percent_decode(userinfo.substr(0, colon), "user name");
        if (colon != std::string_view::npos) {
            u.has_password = true;
            u.password = percent_decode(userinfo.substr(colon + 1), "password");
        }
    }

    // host[:port][,host[:port]...]; an IPv6 host in brackets.
    while (!authority.empty()) {
        const std::size_t comma = authority.find(',');
        std::string_view one = authority.substr(0, comma);
        authority = comma == std::string_view::npos ? std::string_view() : authority.substr(comma + 1);
        conn_uri::host_port hp;
        std::string_view port;
        if (!one.empty() && one.front() == '[') {
            const std::size_t close = one.find(']');
            if (close == std::string_view::npos)
                throw connection_string_error("an IPv6 host of the URI has no closing ']'");
            hp.host = std::string(one.substr(1, close - 1));
            std::string_view after = one.substr(close + 1);
            if (!after.empty()) {
                if (after.front() != ':')
                    throw connection_string_error("expected ':port' after the IPv6 host of the URI");
                port = after.substr(1);
            }
        } else {
            const std::size_t colon = one.find(':');
            hp.host = percent_decode(one.substr(0, colon), "host");
            if (colon != std::string_view::npos) port = one.substr(colon + 1);
        }
        for (char c : port)
            if (c < '0' || c > '9') throw connection_string_error("the port of the URI is not a number");
        if (port.size() > 5) throw connection_string_error("the port of the URI is not a number up to 65535");
        hp.port = std::string(port);
        if (hp.host.empty() && hp.port.empty() && comma == std::string_view::npos && u.hosts.empty()) break;
        u.hosts.push_back(std::move(hp));
        if (comma == std::string_view::npos) break;
    }

    while (!query.empty()) {
        const std::size_t amp = query.find('&');
        const std::string_view item = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        if (item.empty()) continue;
        const std::size_t eq = item.find('=');
        if (eq == std::string_view::npos || eq == 0)
            throw connection_string_error("every parameter of the URI's query must be key=value");
        std::string key = percent_decode(item.substr(0, eq), "query");
        if (!std::all_of(key.begin(), key.end(), is_key_char))
            throw connection_string_error("a key of the URI's query is not made of letters, digits and '_'");
        std::string value = percent_decode(item.substr(eq + 1), ("value of \"" + key + "\"").c_str());
        u.query.push_back({std::move(key), std::move(value)});
    }
    return u;
}

std::string render_key_value(const conn_params& ps) {
    std::string out;
    for (const conn_param& p : ps) {
        if (!out.empty()) out += ' ';
        out += p.key;
        out += '=';
        append_quoted(out, p.value);
    }
    return out;
}

std::string describe(const conn_params& ps, std::span<const std::string_view> secret_keys) {
    std::string out;
    for (const conn_param& p : ps) {
        if (!out.empty()) out += ' ';
        out += p.key;
        out += '=';
        const bool secret = ends_with_pass(p.key) ||
                            std::find(secret_keys.begin(), secret_keys.end(), p.key) != secret_keys.end();
        if (secret) out += "***";
        else if (needs_quotes(p.value)) append_quoted(out, p.value);
        else out += p.value;
    }
    return out;
}

std::string redact_text(std::string_view original, std::span<const std::string> secrets) {
    // The secrets first, then the values of password keys and URI passwords in what is left.
    const std::string secretless = replace_secrets(original, secrets);
    const std::string_view text = secretless;
    std::string out;
    out.reserve(text.size());
    const std::size_t n = text.size();
    std::size_t i = 0;
    while (i < n) {
        const char c = text[i];
        // key=value where the key ends in pass/password: the key is the run of key
        // characters before '=' (with optional spaces).
        if (c == '=') {
            std::size_t k = out.size();
            while (k > 0 && is_space(out[k - 1])) --k;
            std::size_t key_start = k;
            while (key_start > 0 && is_key_char(out[key_start - 1])) --key_start;
            if (key_start < k && ends_with_pass(std::string_view(out).substr(key_start, k - key_start))) {
                const bool in_query = key_start > 0 && (out[key_start - 1] == '?' || out[key_start - 1] == '&');
                out += '=';
                ++i;
                while (i < n && is_space(text[i])) out += text[i++];
                if (i < n && (text[i] == '\'' || text[i] == '"')) {
                    const char q = text[i++];
                    while (i < n && text[i] != q) i += text[i] == '\\' && i + 1 < n ? 2 : 1;
                    if (i < n) ++i;
                    out += q;
                    out += "***";
                    out += q;
                } else {
                    while (i < n && !is_space(text[i]) && !(in_query && text[i] == '&')) ++i;
                    out += "***";
                }
                continue;
            }
        }
        // scheme://user:password@host: the password up to the last '@' of the authority.
        // Quotes do not end it: a password may hold ' or " (a URI quoted in a message
        // still ends at the whitespace after it).
        if (c == ':' && i + 2 < n && text[i + 1] == '/' && text[i + 2] == '/') {
            out += "://";
            i += 3;
            std::size_t end = i;
            while (end < n && !is_space(text[end]) && text[end] != '/' && text[end] != '?') ++end;
            const std::string_view authority = text.substr(i, end - i);
            const std::size_t at = authority.rfind('@');
            if (at != std::string_view::npos) {
                const std::string_view userinfo = authority.substr(0, at);
                const std::size_t colon = userinfo.find(':');
                out += userinfo.substr(0, colon);
                if (colon != std::string_view::npos) out += ":***";
                i += at;  // the '@' and the host follow as text
            }
            continue;
        }
        out += c;
        ++i;
    }
    return out;
}

}  // namespace eagerload::detail

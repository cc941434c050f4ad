// The one place that lists the backends. Adding one: its file in src/backends/, its
// line here, its dialect value in detail/value.hpp, its SOCI component in CMakeLists.txt,
// and its entry in the test context (tests/support/backend.cpp).
#include <array>

#include "../backend.hpp"
#include "eagerload/errors.hpp"

namespace eagerload::detail {
namespace {

const auto& backends() {
    static const std::array<const backend*, 2> all{&sqlite_backend(), &postgresql_backend()};
    return all;
}

}  // namespace

const backend& backend_for(dialect d) {
    for (const backend* b : backends())
        if (b->kind() == d) return *b;
    throw error("eagerload: no backend is registered for dialect " + std::to_string(static_cast<int>(d)) +
                " (known: " + known_urls() + ")");
}

const backend* backend_for_scheme(std::string_view scheme) {
    for (const backend* b : backends())
        for (std::string_view s : b->schemes())
            if (s == scheme) return b;
    return nullptr;
}

std::string known_urls() {
    std::string out;
    for (const backend* b : backends()) {
        if (!out.empty()) out += ", ";
        out += '"';
        out += b->url_example();
        out += '"';
    }
    return out;
}

}  // namespace eagerload::detail

namespace eagerload {
const char* to_string(dialect d) noexcept {
    try {
        return detail::backend_for(d).name();
    } catch (...) {
        return "unknown";
    }
}
}  // namespace eagerload

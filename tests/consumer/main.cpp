// Built against an *installed* eagerload by the CTest test consumer_find_package
// (tests/consumer/run.cmake): proves the installed headers, library and its
// SOCI/fmt/Boost dependencies are found with find_package(eagerload) and link.
#include <eagerload/eagerload.hpp>

#include <cstdint>
#include <cstdio>
#include <string>

struct Note {
    std::int64_t id;
    std::string text;
};
BOOST_HANA_ADAPT_STRUCT(Note, id, text);
template <>
struct eagerload::model<Note> {
    static constexpr std::string_view table = "notes";
    static constexpr auto key = &Note::id;
};

int main() {
    auto db = eagerload::database::open("sqlite::memory:");
    eagerload::create_table<Note>(db);
    eagerload::insert(db, Note{1, "installed"});
    const auto note = eagerload::get<Note>(db, 1);
    std::printf("consumer: %s\n", note.text.c_str());
    return note.text == "installed" ? 0 : 1;
}

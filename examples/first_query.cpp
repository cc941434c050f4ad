// A first typed query: a model, a table, a filtered query, and the query counter, on
// embedded SQLite. docs/getting-started.md walks through the same steps.
#include <eagerload/eagerload.hpp>
#include <fmt/core.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

struct Task {
    std::int64_t id;
    std::string title;
    std::int32_t priority;
    std::optional<std::int64_t> assignee_id;
    eagerload::timestamp created_at;
};
BOOST_HANA_ADAPT_STRUCT(Task, id, title, priority, assignee_id, created_at);
template <>
struct eagerload::model<Task> {
    static constexpr std::string_view table = "tasks";
    static constexpr auto key = &Task::id;
};

int main() {
    using namespace eagerload;
    auto db = database::open("sqlite::memory:");
    create_table<Task>(db);
    std::vector<Task> tasks;
    for (std::int64_t i = 1; i <= 1000; ++i)
        tasks.push_back({i, fmt::format("task {}", i), static_cast<std::int32_t>(i % 5),
                         i % 3 ? std::optional<std::int64_t>(i % 7) : std::nullopt,
                         make_timestamp(2024, 1, 1) + std::chrono::minutes(i)});
    insert_all(db, tasks);

    query_counter counter(db);
    const auto urgent = select<Task>()
                            .where(col<&Task::priority> >= 4 && col<&Task::assignee_id>.is_not_null())
                            .order_by(desc<&Task::created_at>, asc<&Task::id>)
                            .limit(5);
    for (const Task& t : urgent.all(db))
        fmt::print("#{:<4} {:<10} priority {} assignee {} created {}\n", t.id, t.title, t.priority, *t.assignee_id,
                   format_timestamp(t.created_at));
    fmt::print("{} of {} tasks are urgent and assigned\n",
               select<Task>().where(col<&Task::priority> >= 4 && col<&Task::assignee_id>.is_not_null()).count(db),
               select<Task>().count(db));
    fmt::print("statements executed: {}\n{}", counter.count(), counter.report());
}

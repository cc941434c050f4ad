#pragma once
// The dashboard story as a reusable core: schema, a deterministic data generator,
// the dashboard built four ways (naive N+1, eager, hand-written SOCI, and on PostgreSQL
// hand-written raw libpq), and its canonical JSON. Used by examples/dashboard, benchmarks/ and the load test.
#include <eagerload/database.hpp>
#include <eagerload/timestamp.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace dashboard {

struct config {
    int users = 500;
    int projects = 60;
    int member_projects = 40;  // projects the dashboard user belongs to
    int tasks_per_project = 50;
    int comments_per_task = 10;  // mean; varied per task
    int members_per_project = 8;
    std::int64_t user_id = 1;  // the dashboard user
    unsigned seed = 20261124;
};

// summary: limited, plus each project's task count and each task's comment count (all of
// them, not only those shown).
enum class variant { full, limited, summary };
enum class strategy { naive, eager, handwritten, libpq };
const char* to_string(variant v);
const char* to_string(strategy s);

// The dashboard as plain data: what every strategy must build, equal to the byte.
struct comment_view {
    std::string text, author;
    eagerload::timestamp created;
};
struct task_view {
    std::int64_t id;
    std::string title;
    std::optional<std::string> assignee;
    std::int32_t priority;
    std::vector<comment_view> comments;
    std::optional<std::int64_t> comment_count;  // summary variant only
};
struct project_view {
    std::int64_t id;
    std::string name, owner;
    std::vector<std::string> members;
    std::vector<task_view> tasks;
    std::optional<std::int64_t> task_count;  // summary variant only
};
using view = std::vector<project_view>;

void create_schema(const eagerload::database& db);
void drop_schema(const eagerload::database& db);
// Fills the schema with the generated data through insert_all (no row-by-row inserts).
struct row_counts {
    std::size_t users, projects, members, tasks, comments;
};
row_counts generate(const eagerload::database& db, const config& c);

struct result {
    view dashboard;
    std::size_t statements;
};
// The libpq strategy's own connection (PostgreSQL only): PQconnectdb from the same
// connection string as the database (libpq key=value or URI), each statement prepared
// on its first use on this connection. Not thread-safe; libpq's headers stay out.
class libpq_connection {
public:
    explicit libpq_connection(const std::string& conninfo);
    ~libpq_connection();
    libpq_connection(const libpq_connection&) = delete;
    libpq_connection& operator=(const libpq_connection&) = delete;
    struct state;
    state& get() noexcept { return *state_; }

private:
    std::unique_ptr<state> state_;
};
result load_libpq(variant v, libpq_connection& pq, std::int64_t user_id);

// The hand-written strategy runs raw SOCI on db.soci_pool(): the same sessions. The
// libpq strategy runs on `pq` (std::invalid_argument without one).
result load(strategy s, variant v, const eagerload::database& db, std::int64_t user_id,
            libpq_connection* pq = nullptr);

// Keyed pages of the eager strategy: `size` projects after the one `token` names ("":
// the first page), and the token of the next page (none after the last page).
struct page_result {
    result page;
    std::optional<std::string> next_token;
};
page_result load_eager_page(variant v, const eagerload::database& db, std::int64_t user_id, std::size_t size,
                            const std::string& token);

// UTF-8 as is, keys sorted, no whitespace; "created" as YYYY-MM-DDTHH:MM:SS.
std::string to_json(const view& v);

}  // namespace dashboard

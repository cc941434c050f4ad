// The dashboard hand-written on raw libpq (PostgreSQL only): the C floor. The same four
// statements as the hand-written SOCI strategy (handwritten.cpp: same columns, joins,
// filters, order and, in the summary variant, the same count subqueries), on a
// connection of its own (PQconnectdb from the same connection string, never SOCI's),
// each statement prepared once per connection (PQprepare on first use, then
// PQexecPrepared), text results read in place (PQgetvalue) and assembled into the same
// view as the other strategies.
#include <libpq-fe.h>

#include <eagerload/timestamp.hpp>

#include <charconv>
#include <set>
#include <stdexcept>
#include <unordered_map>

#include "dashboard.hpp"

namespace dashboard {

struct libpq_connection::state {
    PGconn* conn = nullptr;
    std::set<std::string> prepared;  // statement names PQprepare'd on this connection
};

libpq_connection::libpq_connection(const std::string& conninfo) : state_(std::make_unique<state>()) {
    state_->conn = PQconnectdb(conninfo.c_str());
    if (PQstatus(state_->conn) != CONNECTION_OK) {
        // libpq's message names host and port, never the password.
        const std::string message = PQerrorMessage(state_->conn);
        PQfinish(state_->conn);
        throw std::runtime_error("libpq strategy: cannot connect: " + message);
    }
}

libpq_connection::~libpq_connection() { PQfinish(state_->conn); }

namespace {

// A result, cleared when it goes.
class pq_result {
public:
    pq_result(PGconn* conn, PGresult* r, ExecStatusType expected, const char* what) : r_(r) {
        if (PQresultStatus(r_) != expected) {
            const std::string message = r_ ? PQresultErrorMessage(r_) : PQerrorMessage(conn);
            PQclear(r_);
            throw std::runtime_error(std::string("libpq strategy: ") + what + ": " + message);
        }
    }
    ~pq_result() { PQclear(r_); }
    pq_result(const pq_result&) = delete;
    pq_result& operator=(const pq_result&) = delete;

    int rows() const { return PQntuples(r_); }
    bool null(int row, int col) const { return PQgetisnull(r_, row, col) != 0; }
    std::string_view text(int row, int col) const {
        return {PQgetvalue(r_, row, col), static_cast<std::size_t>(PQgetlength(r_, row, col))};
    }
    long long integer(int row, int col) const {
        const std::string_view t = text(row, col);
        long long v = 0;
        const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
        if (ec != std::errc() || end != t.data() + t.size())
            throw std::runtime_error("libpq strategy: not an integer: " + std::string(t));
        return v;
    }
    eagerload::timestamp time(int row, int col) const {
        eagerload::timestamp t;
        if (!eagerload::parse_timestamp(text(row, col), t))
            throw std::runtime_error("libpq strategy: bad timestamp " + std::string(text(row, col)));
        return t;
    }

private:
    PGresult* r_;
};

void command(PGconn* conn, const char* sql) { pq_result(conn, PQexec(conn, sql), PGRES_COMMAND_OK, sql); }

// Runs the statement `name` (prepared from `sql` on this connection's first use of it)
// with one text parameter.
pq_result run(libpq_connection::state& c, const std::string& name, const std::string& sql, const std::string& param) {
    if (!c.prepared.count(name)) {
        pq_result(c.conn, PQprepare(c.conn, name.c_str(), sql.c_str(), 1, nullptr), PGRES_COMMAND_OK, name.c_str());
        c.prepared.insert(name);
    }
    const char* values[] = {param.c_str()};
    return pq_result(c.conn, PQexecPrepared(c.conn, name.c_str(), 1, values, nullptr, nullptr, 0), PGRES_TUPLES_OK,
                     name.c_str());
}

// The ids as ONE PostgreSQL array parameter: {1,2,3}.
std::string array(const std::vector<long long>& ids) {
    std::string out = "{";
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (i) out += ',';
        out += std::to_string(ids[i]);
    }
    return out + "}";
}

}  // namespace

result load_libpq(variant v, libpq_connection& pq, std::int64_t user_id) {
    libpq_connection::state& c = pq.get();
    const bool limited = v != variant::full;
    const bool summary = v == variant::summary;
    const std::string tag = to_string(v);  // one prepared statement per variant's text
    std::size_t statements = 0;
    view out;

    // One snapshot, as the other strategies read.
    command(c.conn, "BEGIN ISOLATION LEVEL REPEATABLE READ");
    struct rollback_unless_committed {
        PGconn* conn;
        bool done = false;
        ~rollback_unless_committed() {
            if (!done) PQclear(PQexec(conn, "ROLLBACK"));
        }
    } tx{c.conn};

    // 1. The user's 20 newest projects, owner joined.
    std::unordered_map<long long, std::size_t> project_at;
    std::vector<long long> project_ids;
    {
        const auto r = run(c, "projects_" + tag,
                           std::string("SELECT p.id, p.name, p.owner_id, u.id, u.name") +
                               (summary ? ", (SELECT count(*) FROM tasks x WHERE x.project_id = p.id)" : "") +
                               " FROM projects p LEFT JOIN users u ON u.id = p.owner_id "
                               "WHERE EXISTS (SELECT 1 FROM project_members m WHERE m.project_id = p.id AND "
                               "m.user_id = $1) ORDER BY p.updated_at DESC, p.id DESC LIMIT 20",
                           std::to_string(user_id));
        ++statements;
        for (int i = 0; i < r.rows(); ++i) {
            const long long id = r.integer(i, 0);
            project_at[id] = out.size();
            project_ids.push_back(id);
            project_view& pv = out.emplace_back();
            pv.id = id;
            pv.name = r.text(i, 1);
            pv.owner = r.text(i, 4);
            if (summary) pv.task_count = r.integer(i, 5);
        }
    }
    if (project_ids.empty()) {
        command(c.conn, "COMMIT");
        tx.done = true;
        return {std::move(out), statements};
    }
    const std::string projects_param = array(project_ids);

    // 2. Their tasks, assignee joined (top 10 per project in the limited variant).
    struct task_ref {
        std::size_t project, task;
    };
    std::unordered_map<long long, task_ref> task_at;
    std::vector<long long> task_ids;
    {
        const std::string columns = std::string("SELECT t.id, t.project_id, t.assignee_id, t.title, t.priority, a.id, a.name") +
                                    (summary ? ", (SELECT count(*) FROM comments x WHERE x.task_id = t.id)" : "") + ' ';
        const std::string sql =
            limited ? columns +
                          "FROM (SELECT tasks.*, ROW_NUMBER() OVER (PARTITION BY tasks.project_id ORDER BY "
                          "tasks.priority DESC, tasks.created_at DESC, tasks.id DESC) AS rn FROM tasks WHERE "
                          "tasks.project_id = ANY(CAST($1 AS bigint[]))) t LEFT JOIN users a ON a.id = t.assignee_id "
                          "WHERE t.rn > 0 AND t.rn <= 10 ORDER BY t.rn"
                    : columns +
                          "FROM tasks t LEFT JOIN users a ON a.id = t.assignee_id WHERE t.project_id = "
                          "ANY(CAST($1 AS bigint[])) ORDER BY t.priority DESC, t.created_at DESC, t.id DESC";
        const auto r = run(c, "tasks_" + tag, sql, projects_param);
        ++statements;
        for (int i = 0; i < r.rows(); ++i) {
            const std::size_t p = project_at.at(r.integer(i, 1));
            auto& list = out[p].tasks;
            const long long id = r.integer(i, 0);
            task_at[id] = {p, list.size()};
            task_ids.push_back(id);
            task_view& tv = list.emplace_back();
            tv.id = id;
            tv.title = r.text(i, 3);
            if (!r.null(i, 5)) tv.assignee = std::string(r.text(i, 6));
            tv.priority = static_cast<std::int32_t>(r.integer(i, 4));
            if (summary) tv.comment_count = r.integer(i, 7);
        }
    }

    // 3. Their comments, author joined (5 newest per task in the limited variant).
    if (!task_ids.empty()) {
        const std::string columns = "SELECT c.id, c.task_id, c.author_id, c.text, c.created_at, u.id, u.name ";
        const std::string sql =
            limited ? columns +
                          "FROM (SELECT comments.*, ROW_NUMBER() OVER (PARTITION BY comments.task_id ORDER BY "
                          "comments.created_at DESC, comments.id DESC) AS rn FROM comments WHERE "
                          "comments.task_id = ANY(CAST($1 AS bigint[]))) c LEFT JOIN users u ON u.id = c.author_id "
                          "WHERE c.rn > 0 AND c.rn <= 5 ORDER BY c.rn"
                    : columns +
                          "FROM comments c LEFT JOIN users u ON u.id = c.author_id WHERE c.task_id = "
                          "ANY(CAST($1 AS bigint[])) ORDER BY c.created_at DESC, c.id DESC";
        const auto r = run(c, "comments_" + tag, sql, array(task_ids));
        ++statements;
        for (int i = 0; i < r.rows(); ++i) {
            const task_ref& ref = task_at.at(r.integer(i, 1));
            out[ref.project].tasks[ref.task].comments.push_back(
                comment_view{std::string(r.text(i, 3)), std::string(r.text(i, 6)), r.time(i, 4)});
        }
    }

    // 4. Their members by membership id, user joined.
    {
        const auto r = run(c, "members_" + tag,
                           "SELECT m.id, m.project_id, m.user_id, u.id, u.name FROM project_members m "
                           "LEFT JOIN users u ON u.id = m.user_id WHERE m.project_id = ANY(CAST($1 AS bigint[])) "
                           "ORDER BY m.id",
                           projects_param);
        ++statements;
        for (int i = 0; i < r.rows(); ++i) out[project_at.at(r.integer(i, 1))].members.emplace_back(r.text(i, 4));
    }
    command(c.conn, "COMMIT");
    tx.done = true;
    return {std::move(out), statements};
}

}  // namespace dashboard

// Property test: on random datasets (NULL FKs, parents without children, children
// whose parent is filtered out, shared FKs, ties in ORDER BY broken by key), the
// eager graph equals the graph loaded naively, one row at a time.
#include <fmt/format.h>

#include <random>
#include <string>

#include "../support/backend.hpp"
#include "../support/dashboard_data.hpp"
#include "eagerload/detector.hpp"
#include "eagerload/eagerload.hpp"

using namespace eagerload;
using namespace dash;

namespace {

struct knobs {
    std::int64_t user;
    int min_priority, tasks_per_project, comments_per_task, comment_offset, projects;
    timestamp updated_after;
};

std::string user_text(const User& u) {
    return fmt::format("{}:{}:{}:{}", u.id, u.name, u.email, u.avatar_url.value_or("-"));
}

auto dashboard_query(const knobs& k) {
    return select<Project>()
        .where(exists(members, col<&ProjectMember::user_id> == k.user))
        .order_by(desc<&Project::updated_at>, desc<&Project::id>)
        .limit(k.projects)
        .join(owner)
        .prefetch(tasks, select<Task>()
                             .where(col<&Task::priority> >= k.min_priority)
                             .order_by(desc<&Task::priority>, desc<&Task::created_at>, desc<&Task::id>)
                             .limit_per_parent(k.tasks_per_project)
                             .join(assignee)
                             .prefetch(comments, select<Comment>()
                                                     .order_by(desc<&Comment::created_at>, desc<&Comment::id>)
                                                     .limit_per_parent(k.comments_per_task)
                                                     .offset_per_parent(k.comment_offset)
                                                     .join(author)))
        .prefetch(members, select<ProjectMember>().order_by(asc<&ProjectMember::id>).join(member_user))
        .prefetch(member_users, select<User>()
                                    .where(col<&User::name> != "user 0")
                                    .order_by(asc<&User::name>, asc<&User::id>)
                                    .limit_per_parent(3));
}

std::string eager_dashboard(const database& db, const knobs& k) {
    std::string out;
    for (const auto& p : dashboard_query(k).load(db)) {
        out += fmt::format("P{} {} owner={}\n", p.id, p.name, user_text(p[owner]));
        for (const auto& t : p[tasks]) {
            out += fmt::format(" T{} {} {} {} a={}\n", t.id, t.title, t.priority, format_timestamp(t.created_at),
                               t[assignee] ? user_text(*t[assignee]) : "none");
            for (const auto& c : t[comments])
                out += fmt::format("  C{} {} by={}\n", c.id, c.text, user_text(c[author]));
        }
        for (const auto& m : p[members]) out += fmt::format(" M{} {}\n", m.id, user_text(m[member_user]));
        for (const auto& u : p[member_users]) out += fmt::format(" U {}\n", user_text(u));
    }
    return out;
}

// The same graph the way an ORM without eager loading gets it: a query per row.
std::string naive_dashboard(const database& db, const knobs& k) {
    std::string out;
    const auto projects = select<Project>()
                              .where(exists(members, col<&ProjectMember::user_id> == k.user))
                              .order_by(desc<&Project::updated_at>, desc<&Project::id>)
                              .limit(k.projects)
                              .all(db);
    for (const auto& p : projects) {
        out += fmt::format("P{} {} owner={}\n", p.id, p.name, user_text(get<User>(db, p.owner_id)));
        const auto ts = select<Task>()
                            .where(col<&Task::project_id> == p.id && col<&Task::priority> >= k.min_priority)
                            .order_by(desc<&Task::priority>, desc<&Task::created_at>, desc<&Task::id>)
                            .limit(k.tasks_per_project)
                            .all(db);
        for (const auto& t : ts) {
            out += fmt::format(" T{} {} {} {} a={}\n", t.id, t.title, t.priority, format_timestamp(t.created_at),
                               t.assignee_id ? user_text(get<User>(db, *t.assignee_id)) : "none");
            const auto cs = select<Comment>()
                                .where(col<&Comment::task_id> == t.id)
                                .order_by(desc<&Comment::created_at>, desc<&Comment::id>)
                                .limit(k.comments_per_task)
                                .offset(k.comment_offset)
                                .all(db);
            for (const auto& c : cs)
                out += fmt::format("  C{} {} by={}\n", c.id, c.text, user_text(get<User>(db, c.author_id)));
        }
        for (const auto& m : select<ProjectMember>().where(col<&ProjectMember::project_id> == p.id).order_by(asc<&ProjectMember::id>).all(db))
            out += fmt::format(" M{} {}\n", m.id, user_text(get<User>(db, m.user_id)));
        const auto us = select<User>()
                            .where(exists(user_projects, col<&Project::id> == p.id) && col<&User::name> != "user 0")
                            .order_by(asc<&User::name>, asc<&User::id>)
                            .limit(3)
                            .all(db);
        for (const auto& u : us) out += fmt::format(" U {}\n", user_text(u));
    }
    return out;
}

auto tasks_query(const knobs& k) {
    return select<Task>()
        .order_by(asc<&Task::id>)
        .prefetch(project, select<Project>().where(col<&Project::updated_at> > k.updated_after).join(owner))
        .prefetch(assignee, select<User>().prefetch(profile));
}

std::string eager_tasks(const database& db, const knobs& k) {
    std::string out;
    for (const auto& t : tasks_query(k).load(db)) {
        out += fmt::format("T{}", t.id);
        if (const auto* p = t[project]) out += fmt::format(" P{} owner={}", p->id, user_text((*p)[owner]));
        if (const auto* a = t[assignee]) {
            out += " A=" + user_text(*a);
            if (const auto* pr = (*a)[profile]) out += " bio=" + pr->bio;
        }
        out += '\n';
    }
    return out;
}

std::string naive_tasks(const database& db, const knobs& k) {
    std::string out;
    for (const auto& t : select<Task>().order_by(asc<&Task::id>).all(db)) {
        out += fmt::format("T{}", t.id);
        const auto p = find<Project>(db, t.project_id);
        if (p && p->updated_at > k.updated_after)
            out += fmt::format(" P{} owner={}", p->id, user_text(get<User>(db, p->owner_id)));
        if (t.assignee_id) {
            const auto a = get<User>(db, *t.assignee_id);
            out += " A=" + user_text(a);
            if (auto pr = select<Profile>().where(col<&Profile::user_id> == a.id).first(db)) out += " bio=" + pr->bio;
        }
        out += '\n';
    }
    return out;
}

}  // namespace

EAGERLOAD_TEST("eager graphs equal naive graphs on random datasets") {
    std::size_t compared = 0, with_comments = 0, with_projects = 0;
    for (unsigned seed = 1; seed <= 12; ++seed) {
        CAPTURE(seed);
        eagerload_test::context fresh(ctx.dialect());
        std::mt19937 rng(seed * 7919);
        auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
        sizes s;
        s.users = pick(3, 25);
        s.projects = pick(0, 15);
        const dataset d = generate(seed, s);
        create_schema(fresh.db);
        insert(fresh.db, d);
        const knobs k{pick(1, s.users), pick(0, 3), pick(1, 6), pick(1, 4), pick(0, 2), pick(1, 12),
                      make_timestamp(2024, 1, 1 + pick(0, 4))};
        // The eager strategies run no statement shape twice: the N+1 detector stays silent.
        const auto strict = [&] { return detector_options{.threshold = 1, .mode = detector_mode::raise}; };
        const std::string eager = [&] { n_plus_one_detector d(fresh.db, strict()); return eager_dashboard(fresh.db, k); }();
        CHECK(eager == naive_dashboard(fresh.db, k));
        const std::string eager_t = [&] { n_plus_one_detector d(fresh.db, strict()); return eager_tasks(fresh.db, k); }();
        CHECK(eager_t == naive_tasks(fresh.db, k));
        compared += eager.size() + eager_t.size();
        with_comments += eager.find("  C") != std::string::npos;
        with_projects += eager_t.find(" P") != std::string::npos;
    }
    // The datasets were not trivially empty.
    CHECK(compared > 1000);
    CHECK(with_comments >= 3);
    CHECK(with_projects >= 3);
}

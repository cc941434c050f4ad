// The dashboard as one eagerload expression: 4 statements whatever the data size.
#include <eagerload/counter.hpp>
#include <eagerload/exists.hpp>
#include <eagerload/select.hpp>

#include "dashboard.hpp"
#include "model.hpp"

namespace dashboard {

namespace {

auto dashboard_query(variant v, std::int64_t user_id) {
    using namespace eagerload;
    const bool limited = v == variant::limited;
    auto task_level = select<Task>()
                          .order_by(desc<&Task::priority>, desc<&Task::created_at>, desc<&Task::id>)
                          .limit_per_parent(limited ? std::optional<long long>(10) : std::nullopt);
    auto comment_level = select<Comment>()
                             .order_by(desc<&Comment::created_at>, desc<&Comment::id>)
                             .limit_per_parent(limited ? std::optional<long long>(5) : std::nullopt);
    return select<Project>()
        .where(exists(members, col<&ProjectMember::user_id> == user_id))
        .order_by(desc<&Project::updated_at>, desc<&Project::id>)
        .limit(20)
        .join(owner)
        .prefetch(tasks, task_level.join(assignee).prefetch(comments, comment_level.join(author)))
        .prefetch(members, select<ProjectMember>().order_by(asc<&ProjectMember::id>).join(member_user));
}

}  // namespace

std::vector<std::string> eager_plan(variant v, eagerload::dialect d) {
    return dashboard_query(v, 1).plan(d).statements;
}

result load_eager(variant v, const eagerload::database& db, std::int64_t user_id) {
    const auto query = dashboard_query(v, user_id);
    static_assert(decltype(query)::statements == 4);
    eagerload::query_counter counter(db, eagerload::counter_scope::this_thread);
    view out;
    // The graph is ours: move its strings into the view rather than copy them.
    for (auto& p : query.load(db)) {
        project_view& pv = out.emplace_back();
        pv.id = p.id;
        pv.name = std::move(p.name);
        pv.owner = std::move(p[owner].name);
        pv.tasks.reserve(p[tasks].size());
        for (auto& t : p[tasks]) {
            task_view& tv = pv.tasks.emplace_back();
            tv.id = t.id;
            tv.title = std::move(t.title);
            tv.priority = t.priority;
            if (auto* a = t[assignee]) tv.assignee = std::move(a->name);
            tv.comments.reserve(t[comments].size());
            for (auto& c : t[comments])
                tv.comments.push_back(comment_view{std::move(c.text), std::move(c[author].name), c.created_at});
        }
        for (auto& m : p[members]) pv.members.push_back(std::move(m[member_user].name));
    }
    return {std::move(out), counter.count()};
}

}  // namespace dashboard

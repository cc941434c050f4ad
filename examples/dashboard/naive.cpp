// The dashboard as ORM-style code without eager loading writes it: nested loops,
// one query per project's owner, tasks and members, per task's assignee and
// comments, per comment's author, per member's user. The N+1 the library exists
// to prevent, written with its own per-row API and nothing slowed down on purpose.
#include <eagerload/counter.hpp>
#include <eagerload/exists.hpp>
#include <eagerload/select.hpp>

#include "dashboard.hpp"
#include "model.hpp"

namespace dashboard {

result load_naive(variant v, const eagerload::database& db, std::int64_t user_id) {
    using namespace eagerload;
    query_counter counter(db, counter_scope::this_thread);  // this load only, whatever other threads run
    const bool summary = v == variant::summary;
    const bool limited = v != variant::full;
    view out;
    const auto projects = select<Project>()
                              .where(exists(members, col<&ProjectMember::user_id> == user_id))
                              .order_by(desc<&Project::updated_at>, desc<&Project::id>)
                              .limit(20)
                              .all(db);
    for (const Project& p : projects) {
        project_view& pv = out.emplace_back();
        pv.id = p.id;
        pv.name = p.name;
        pv.owner = get<User>(db, p.owner_id).name;
        if (summary) pv.task_count = select<Task>().where(col<&Task::project_id> == p.id).count(db);
        auto task_query = select<Task>()
                              .where(col<&Task::project_id> == p.id)
                              .order_by(desc<&Task::priority>, desc<&Task::created_at>, desc<&Task::id>)
                              .limit(limited ? std::optional<long long>(10) : std::nullopt);
        for (const Task& t : task_query.all(db)) {
            task_view& tv = pv.tasks.emplace_back();
            tv.id = t.id;
            tv.title = t.title;
            tv.priority = t.priority;
            if (summary) tv.comment_count = select<Comment>().where(col<&Comment::task_id> == t.id).count(db);
            if (t.assignee_id) tv.assignee = get<User>(db, *t.assignee_id).name;
            auto comment_query = select<Comment>()
                                     .where(col<&Comment::task_id> == t.id)
                                     .order_by(desc<&Comment::created_at>, desc<&Comment::id>)
                                     .limit(limited ? std::optional<long long>(5) : std::nullopt);
            for (const Comment& c : comment_query.all(db))
                tv.comments.push_back(comment_view{c.text, get<User>(db, c.author_id).name, c.created_at});
        }
        for (const ProjectMember& m :
             select<ProjectMember>().where(col<&ProjectMember::project_id> == p.id).order_by(asc<&ProjectMember::id>).all(db))
            pv.members.push_back(get<User>(db, m.user_id).name);
    }
    return {std::move(out), counter.count()};
}

}  // namespace dashboard

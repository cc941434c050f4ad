#!/usr/bin/env bash
# Server-side execution time of each statement of the eager `limited` dashboard (and
# of the alternatives discussed in docs/benchmarks.md), by EXPLAIN ANALYZE, on a
# PostgreSQL database holding the dashboard's default data:
#
#   build/examples/dashboard --postgres "$CONNINFO" --repeat 1     # generates the data
#   bash scripts/explain_dashboard.sh "$CONNINFO"
set -euo pipefail
conninfo="${1:?usage: explain_dashboard.sh CONNINFO}"
q() { psql "$conninfo" -X -tA -c "$1"; }
ms() { psql "$conninfo" -X -tA -c "${2:-} EXPLAIN (ANALYZE, TIMING OFF) $1" | sed -n 's/^Execution Time: //p'; }

projects=$(q "SELECT string_agg(id::text, ',') FROM (SELECT p.id FROM projects p WHERE EXISTS (SELECT 1 FROM project_members m WHERE m.project_id = p.id AND m.user_id = 1) ORDER BY p.updated_at DESC, p.id DESC LIMIT 20) s")
tasks=$(q "SELECT string_agg(id::text, ',') FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY project_id ORDER BY priority DESC, created_at DESC, id DESC) rn FROM tasks WHERE project_id = ANY('{$projects}'::bigint[])) s WHERE rn <= 10")

comments_ranked="SELECT c.*, u.* FROM (SELECT comments.*, ROW_NUMBER() OVER (PARTITION BY comments.task_id ORDER BY comments.created_at DESC, comments.id DESC) AS el_rn FROM comments WHERE comments.task_id = ANY('{$tasks}'::bigint[])) c LEFT JOIN users u ON u.id = c.author_id WHERE c.el_rn > 0 AND c.el_rn <= 5 ORDER BY c.el_rn"
echo "1 projects, owner joined:              $(ms "SELECT p.*, u.* FROM projects p LEFT JOIN users u ON u.id = p.owner_id WHERE EXISTS (SELECT 1 FROM project_members m WHERE m.project_id = p.id AND m.user_id = 1) ORDER BY p.updated_at DESC, p.id DESC LIMIT 20")"
echo "2 tasks, ROW_NUMBER (eagerload):       $(ms "SELECT t.*, a.* FROM (SELECT tasks.*, ROW_NUMBER() OVER (PARTITION BY tasks.project_id ORDER BY tasks.priority DESC, tasks.created_at DESC, tasks.id DESC) AS el_rn FROM tasks WHERE tasks.project_id = ANY('{$projects}'::bigint[])) t LEFT JOIN users a ON a.id = t.assignee_id WHERE t.el_rn > 0 AND t.el_rn <= 10 ORDER BY t.el_rn")"
echo "2 tasks, LATERAL (alternative):        $(ms "SELECT t.*, a.* FROM unnest('{$projects}'::bigint[]) k(v) CROSS JOIN LATERAL (SELECT * FROM tasks WHERE tasks.project_id = k.v ORDER BY priority DESC, created_at DESC, id DESC LIMIT 10) t LEFT JOIN users a ON a.id = t.assignee_id")"
echo "3 comments, ROW_NUMBER (eagerload):    $(ms "$comments_ranked")"
echo "3 comments, same, index scan forced:   $(ms "$comments_ranked" "SET enable_seqscan = off;")"
echo "3 comments, LATERAL (alternative):     $(ms "SELECT c.*, u.* FROM unnest('{$tasks}'::bigint[]) k(v) CROSS JOIN LATERAL (SELECT * FROM comments WHERE comments.task_id = k.v ORDER BY created_at DESC, id DESC LIMIT 5) c LEFT JOIN users u ON u.id = c.author_id")"
echo "4 members, user joined:                $(ms "SELECT m.*, u.* FROM project_members m LEFT JOIN users u ON u.id = m.user_id WHERE m.project_id = ANY('{$projects}'::bigint[]) ORDER BY m.id")"
echo "naive: one project's top 10 tasks:     $(ms "SELECT * FROM tasks WHERE project_id = ${projects%%,*} ORDER BY priority DESC, created_at DESC, id DESC LIMIT 10")"
echo "naive: one user by key:                $(ms "SELECT * FROM users WHERE id = 7 LIMIT 2")"

#!/usr/bin/env python3
# Usage: python3 benchmarks/aggregate_fold.py sqlite PATH | pg CONNINFO  (a database the dashboard example filled:
#   dashboard --sqlite PATH --variant summary, or --postgres CONNINFO); prints min / median ms of 31 interleaved rounds.
# Aggregates folded into a level's statement (correlated subquery, grouped derived table
# LEFT JOINed) vs a separate grouped statement: the summary dashboard's two counted levels.
import sqlite3, subprocess, statistics, sys, time, re
RUNS = 31
def q_tasks(lst, extra_col='', extra_join=''):
    return ("SELECT t.id, t.project_id, t.assignee_id, t.title, t.priority, a.id, a.name" + extra_col +
            " FROM (SELECT tasks.*, ROW_NUMBER() OVER (PARTITION BY tasks.project_id ORDER BY tasks.priority DESC, "
            "tasks.created_at DESC, tasks.id DESC) AS rn FROM tasks WHERE " + lst("tasks.project_id") + ") t "
            "LEFT JOIN users a ON a.id = t.assignee_id" + extra_join + " WHERE t.rn > 0 AND t.rn <= 10 ORDER BY t.rn")
def q_root(extra_col='', extra_join=''):
    return ("SELECT p.id, p.name, p.owner_id, u.id, u.name" + extra_col + " FROM projects p LEFT JOIN users u ON u.id = p.owner_id"
            + extra_join + " WHERE EXISTS (SELECT 1 FROM project_members m WHERE m.project_id = p.id AND m.user_id = 1) "
            "ORDER BY p.updated_at DESC, p.id DESC LIMIT 20")
def variants(lst, tlist):
    return {
      'root: no count': [q_root()],
      'root: correlated subquery': [q_root(", (SELECT count(*) FROM tasks x WHERE x.project_id = p.id)")],
      'root: grouped derived table': [q_root(", COALESCE(g.n, 0)", " LEFT JOIN (SELECT project_id AS k, count(*) AS n FROM tasks GROUP BY project_id) g ON g.k = p.id")],
      'root: separate statement': [q_root(), "SELECT project_id, count(*) FROM tasks WHERE " + lst("project_id") + " GROUP BY project_id"],
      'tasks: no count': [q_tasks(lst)],
      'tasks: correlated subquery': [q_tasks(lst, ", (SELECT count(*) FROM comments x WHERE x.task_id = t.id)")],
      'tasks: grouped derived table': [q_tasks(lst, ", COALESCE(g.n, 0)", " LEFT JOIN (SELECT task_id AS k, count(*) AS n FROM comments GROUP BY task_id) g ON g.k = t.id")],
      'tasks: separate statement': [q_tasks(lst), "SELECT task_id, count(*) FROM comments WHERE " + tlist("task_id") + " GROUP BY task_id"],
    }
def sqlite_run(path):
    db = sqlite3.connect(path)
    pids = [r[0] for r in db.execute(q_root())]
    tids = [r[0] for r in db.execute(q_tasks(lambda c: c + " IN (SELECT value FROM json_each('%s'))" % ('[' + ','.join(map(str, pids)) + ']')))]
    lst = lambda c: c + " IN (SELECT value FROM json_each('%s'))" % ('[' + ','.join(map(str, pids)) + ']')
    tl = lambda c: c + " IN (SELECT value FROM json_each('%s'))" % ('[' + ','.join(map(str, tids)) + ']')
    vs = variants(lst, tl)
    ts = {k: [] for k in vs}
    for _ in range(RUNS):  # interleaved: load on the machine hits every variant alike
        for name, stmts in vs.items():
            t0 = time.perf_counter()
            for s in stmts: db.execute(s).fetchall()
            ts[name].append((time.perf_counter() - t0) * 1000)
    return {k: (min(v), statistics.median(v)) for k, v in ts.items()}
def pg_run(conn):
    psql = lambda sql: subprocess.run(['psql', conn, '-tA', '-c', sql], capture_output=True, text=True, check=True).stdout
    pids = [int(x.split('|')[0]) for x in psql(q_root()).strip().split('\n')]
    arr = lambda ids: "'{" + ','.join(map(str, ids)) + "}'"
    lst = lambda c: c + " = ANY(CAST(%s AS bigint[]))" % arr(pids)
    tids = [int(x.split('|')[0]) for x in psql(q_tasks(lst)).strip().split('\n')]
    tl = lambda c: c + " = ANY(CAST(%s AS bigint[]))" % arr(tids)
    vs = variants(lst, tl)
    names = list(vs)
    # interleaved in one session: each round runs every variant once
    script = '\\timing on\n' + ''.join((s + ';\n') for _ in range(RUNS) for n in names for s in vs[n])
    r = subprocess.run(['psql', conn, '-q', '-o', '/dev/null'], input=script, capture_output=True, text=True, check=True)
    times = [float(x) for x in re.findall(r'Time: ([0-9.]+) ms', r.stdout + r.stderr)]
    ts = {n: [] for n in names}
    i = 0
    for _ in range(RUNS):
        for n in names:
            k = len(vs[n])
            ts[n].append(sum(times[i:i + k]))
            i += k
    return {k: (min(v), statistics.median(v)) for k, v in ts.items()}
if __name__ == '__main__':
    kind, target = sys.argv[1], sys.argv[2]
    res = sqlite_run(target) if kind == 'sqlite' else pg_run(target)
    for k, (lo, med) in res.items(): print(f"| {kind} | {k} | {lo:.2f} | {med:.2f} |")

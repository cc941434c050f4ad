#!/usr/bin/env python3
"""Writes a translation unit with N distinct eager query expressions over models.hpp.

    python3 benchmarks/compile_time/generate.py N [--mode load|build|plan] [--seed S] [-o FILE]

Each query is a function building one select<...>() expression, 2 to 4 levels deep
(the root counts as level 1: select<Project>().prefetch(tasks, select<Task>().join(assignee))
is 3 levels), with where() (plain columns, in(), is_null(), exists()), order_by(),
limit(), join() and prefetch() (nested queries with their own filters, orders,
limit_per_parent() and relations). Every query has a distinct C++ type: the generator
draws shapes at random (fixed seed) and drops a shape whose type it has already written.
The queries of a smaller N are the first queries of a larger one.

--mode load   (default) each function returns q.load(db).size(): instantiates the loader.
--mode build  each function only builds the query value (no load(), no plan()).
--mode plan   each function returns q.plan(dialect).statements.size(): the plan/SQL path only.

Only Python's standard library is used.
"""
import argparse
import random
import sys

# --- the schema of models.hpp -------------------------------------------------------
# model -> list of (relation, target, single)
RELATIONS = {
    "User": [("profile", "Profile", True), ("owned_projects", "Project", False),
             ("assigned_tasks", "Task", False), ("authored_comments", "Comment", False),
             ("user_memberships", "Membership", False), ("user_projects", "Project", False)],
    "Profile": [("profile_user", "User", True)],
    "Project": [("owner", "User", True), ("tasks", "Task", False), ("memberships", "Membership", False),
                ("members", "User", False)],
    "Membership": [("membership_project", "Project", True), ("membership_user", "User", True)],
    "Task": [("project", "Project", True), ("assignee", "User", True), ("comments", "Comment", False),
             ("taggings", "TaskTag", False), ("tags", "Tag", False)],
    "Comment": [("comment_task", "Task", True), ("author", "User", True)],
    "Tag": [("tag_taggings", "TaskTag", False), ("tagged_tasks", "Task", False)],
    "TaskTag": [("tagging_task", "Task", True), ("tagging_tag", "Tag", True)],
}

# model -> filters (C++ conditions on that model; `arg` is the function's parameter)
FILTERS = {
    "User": ["col<&User::active> == true", "col<&User::avatar_url>.is_null()",
             "col<&User::id>.in({1, 2, 3})", "col<&User::name> != \"root\"",
             "exists(profile)", "!exists(assigned_tasks, col<&Task::priority> > 3)"],
    "Profile": ["col<&Profile::age> >= 18", "!col<&Profile::age>.is_null()", "col<&Profile::bio> != \"\""],
    "Project": ["col<&Project::owner_id> == arg", "col<&Project::updated_at> >= t0",
                "exists(members, col<&User::id> == arg)", "exists(tasks)",
                "col<&Project::name> != \"archive\""],
    "Membership": ["col<&Membership::role> >= 1", "col<&Membership::user_id> != arg"],
    "Task": ["col<&Task::priority> >= 2", "col<&Task::assignee_id>.is_not_null()",
             "col<&Task::estimate> < 8.5", "col<&Task::created_at> >= t0",
             "exists(comments, col<&Comment::author_id> == arg)", "exists(tags, col<&Tag::name> == \"bug\")"],
    "Comment": ["col<&Comment::author_id> != arg", "col<&Comment::created_at> >= t0",
                "col<&Comment::text> != \"\""],
    "Tag": ["!col<&Tag::color>.is_null()", "col<&Tag::name>.in({\"bug\", \"feature\"})"],
    "TaskTag": ["col<&TaskTag::tag_id> != arg"],
}

# model -> sortable columns
ORDERS = {
    "User": ["name", "id"],
    "Profile": ["age", "id"],
    "Project": ["updated_at", "name", "id"],
    "Membership": ["role", "id"],
    "Task": ["priority", "created_at", "estimate", "id"],
    "Comment": ["created_at", "id"],
    "Tag": ["name", "id"],
    "TaskTag": ["id"],
}


class Query:
    """One select<Model>() level: its modifiers and what it loads."""

    def __init__(self, model, role):
        self.model = model
        self.role = role  # "root", "joined", "prefetched"
        self.where = None
        self.order = []
        self.limit = None
        self.per_parent = None
        self.loads = []  # (relation, "join"/"prefetch", Query)

    def depth(self):
        return 1 + max((q.depth() for _, _, q in self.loads), default=0)

    def type_key(self):
        """What makes the C++ type: model, filtered or not, and the loads in order."""
        inner = ",".join(f"{mode}:{rel}:{q.type_key()}" for rel, mode, q in self.loads)
        return f"{self.model}{'*' if self.where else ''}[{inner}]"

    def levels(self):
        return 1 + sum(q.levels() for _, _, q in self.loads)

    def statements(self):
        return 1 + sum(q.statements() if mode == "prefetch" else q.statements() - 1 for _, mode, q in self.loads)

    def is_plain(self):
        return not (self.where or self.order or self.limit or self.per_parent or self.loads)

    def render(self, indent):
        pad = " " * indent
        out = f"select<{self.model}>()"
        parts = []
        if self.where:
            parts.append(f".where({self.where})")
        if self.order:
            terms = ", ".join(f"{d}<&{self.model}::{c}>" for d, c in self.order)
            parts.append(f".order_by({terms})")
        if self.limit:
            parts.append(f".limit({self.limit})")
        if self.per_parent:
            parts.append(f".limit_per_parent({self.per_parent})")
        for rel, mode, q in self.loads:
            if q.is_plain():
                parts.append(f".{mode}({rel})")
            else:
                parts.append(f".{mode}({rel}, {q.render(indent + 4)})")
        if not parts:
            return out
        if len(parts) == 1 and len(parts[0]) < 60:
            return out + parts[0]
        return out + "".join(f"\n{pad}    {p}" for p in parts)


def random_filter(rng, model):
    fs = rng.sample(FILTERS[model], k=min(len(FILTERS[model]), rng.choice([1, 1, 2])))
    if len(fs) == 1:
        return fs[0]
    return f" {rng.choice(['&&', '&&', '||'])} ".join(fs)


def gen(rng, model, depth, role, single=False):
    """A query on `model` exactly `depth` levels deep (`single`: reached by a single relation)."""
    q = Query(model, role)
    if role != "joined":
        if rng.random() < (0.6 if role == "root" else 0.4):
            q.where = random_filter(rng, model)
        if rng.random() < 0.6:
            cols = rng.sample(ORDERS[model], k=min(len(ORDERS[model]), rng.choice([1, 2])))
            q.order = [(rng.choice(["asc", "desc"]), c) for c in cols]
        if role == "root" and rng.random() < 0.4:
            q.limit = rng.choice([10, 20, 50, 100])
        if role == "prefetched" and not single and rng.random() < 0.3:
            q.per_parent = rng.choice([3, 5, 10])
    if depth > 1:
        rels = RELATIONS[model]
        n = min(len(rels), rng.choice([1, 1, 2, 2, 3] if role == "root" else [1, 1, 1, 2]))
        picked = rng.sample(rels, k=n)
        for i, (rel, target, single) in enumerate(picked):
            child_depth = depth - 1 if i == 0 else rng.randint(1, depth - 1)
            mode = "join" if single and rng.random() < 0.6 else "prefetch"
            child = gen(rng, target, child_depth, "joined" if mode == "join" else "prefetched", single)
            q.loads.append((rel, mode, child))
    return q


def queries(n, seed):
    rng = random.Random(seed)
    roots = list(RELATIONS)
    seen = set()
    out = []
    while len(out) < n:
        depth = rng.choice([2, 3, 4])
        q = gen(rng, rng.choice(roots), depth, "root")
        key = q.type_key()
        if key in seen:
            continue
        seen.add(key)
        out.append(q)
    return out


def render_tu(qs, mode):
    lines = [
        "// Generated by benchmarks/compile_time/generate.py: do not edit.",
        f"// {len(qs)} distinct eager queries, mode {mode}; "
        f"{sum(q.levels() for q in qs)} select<>s, {sum(q.statements() for q in qs)} statements in all.",
        "#include <eagerload/eagerload.hpp>",
        "",
        "#include <cstddef>",
        "#include <cstdint>",
        "",
        "#include \"models.hpp\"",
        "",
        "namespace ct {",
        "",
        "using el::asc;",
        "using el::col;",
        "using el::desc;",
        "using el::exists;",
        "using el::select;",
        "",
        "namespace {",
        "const el::timestamp t0 = el::make_timestamp(2024, 1, 1);",
        "}  // namespace",
        "",
    ]
    names = []
    for i, q in enumerate(qs):
        name = f"query_{i:02d}"
        names.append(name)
        uses_arg = "arg" in q.render(0)
        lines.append(f"// {q.depth()} levels deep, {q.levels()} select<>s, {q.statements()} statements: {q.type_key()}")
        lines.append(f"std::size_t {name}(const el::database& db, std::int64_t {'arg' if uses_arg else '/*arg*/'}) {{")
        lines.append(f"    const auto q = {q.render(8)};")
        if mode == "load":
            lines.append("    return q.load(db).size();")
        elif mode == "plan":
            lines.append("    return q.plan(db.sql_dialect()).statements.size();")
        else:
            lines.append("    (void)db;")
            lines.append("    return decltype(q)::statements + q.expected_rows();")
        lines.append("}")
        lines.append("")
    lines.append("// Every query, so none is unused.")
    lines.append("std::size_t run_all(const el::database& db, std::int64_t arg) {")
    lines.append("    std::size_t n = 0;")
    for name in names:
        lines.append(f"    n += {name}(db, arg);")
    lines.append("    return n;")
    lines.append("}")
    lines.append("")
    lines.append("}  // namespace ct")
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n", type=int, help="number of distinct queries (0: the models only)")
    ap.add_argument("--mode", choices=["load", "build", "plan"], default="load")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("-o", "--output", help="file to write (default: stdout)")
    args = ap.parse_args()
    text = render_tu(queries(args.n, args.seed), args.mode)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()

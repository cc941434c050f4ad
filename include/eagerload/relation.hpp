#pragma once
// Relations are compile-time values built from member pointers:
//
//   inline constexpr auto owner    = eagerload::belongs_to<&Project::owner_id, &User::id>;
//   inline constexpr auto assignee = eagerload::belongs_to<&Task::assignee_id, &User::id>;  // nullable FK
//   inline constexpr auto tasks    = eagerload::has_many<&Task::project_id, &Project::id>;
//   inline constexpr auto profile  = eagerload::has_one<&Profile::user_id, &User::id>;
//   inline constexpr auto members  = eagerload::many_to_many<&Project::id, &ProjectMember::project_id,
//                                                            &ProjectMember::user_id, &User::id>;
//
// belongs_to<FK, PK>: the owner (FK's class) holds the foreign key. has_many/has_one<FK, PK>:
// the target (FK's class) holds it. many_to_many<OwnerPK, JoinOwnerFK, JoinTargetFK, TargetPK>
// reads as the path from owner to target through the join model. An optional Tag type
// tells apart two relations over the same columns (to load them with different filters).
//
// Every relation maps an owner-side column to a target-side column: the target rows
// of an owner are those whose target_key equals the owner's owner_key.
#include <type_traits>

#include "eagerload/model.hpp"

namespace eagerload {

enum class relation_kind { belongs_to, has_one, has_many, many_to_many };

namespace detail {

template <class M>
using column_value_t = typename column_traits<M>::value_type;

// The compiler's "in instantiation of ... [with ForeignKey = int; ReferencedKey = long int]"
// note under this message names both types.
template <class ForeignKey, class ReferencedKey>
constexpr bool foreign_key_type_matches_key_type() {
    static_assert(std::is_same_v<column_value_t<ForeignKey>, column_value_t<ReferencedKey>>,
                  "eagerload: the foreign key's member type differs from the referenced key's member type "
                  "(GCC and Clang name both in the instantiation note): declare them with the same type");
    return std::is_same_v<column_value_t<ForeignKey>, column_value_t<ReferencedKey>>;
}

template <auto A, auto B>
constexpr bool same_key_type = foreign_key_type_matches_key_type<member_type_of<A>, member_type_of<B>>();

template <auto P>
constexpr bool is_nullable = column_traits<member_type_of<P>>::nullable;

}  // namespace detail

template <auto FK, auto PK, class Tag = void>
struct belongs_to_relation {
    static_assert(detail::data_member_pointer<FK> && detail::data_member_pointer<PK>,
                  "eagerload: belongs_to<&Owner::fk, &Target::key> takes two member pointers");
    // A mismatch is reported by same_key_type itself; `valid` keeps join()/prefetch()
    // from piling follow-on errors on top of it.
    static constexpr bool valid = detail::same_key_type<FK, PK>;
    static_assert(valid || true);  // evaluates `valid` here: a mismatch is reported where the relation is declared
    using owner = detail::class_of<FK>;
    using target = detail::class_of<PK>;
    using through = void;
    static constexpr relation_kind kind = relation_kind::belongs_to;
    static constexpr auto owner_key = FK;
    static constexpr auto target_key = PK;
    static constexpr bool single = true;
    static constexpr bool optional = detail::is_nullable<FK>;  // a NULL FK has no target
};

// has_many and has_one: the target holds the foreign key; they differ in cardinality.
template <auto FK, auto PK, relation_kind Kind, class Tag>
struct reverse_fk_relation {
    static_assert(detail::data_member_pointer<FK> && detail::data_member_pointer<PK>,
                  "eagerload: has_many/has_one<&Target::fk, &Owner::key> take two member pointers");
    static constexpr bool valid = detail::same_key_type<FK, PK>;
    static_assert(valid || true);  // evaluates `valid` here: a mismatch is reported where the relation is declared
    using owner = detail::class_of<PK>;
    using target = detail::class_of<FK>;
    using through = void;
    static constexpr relation_kind kind = Kind;
    static constexpr auto owner_key = PK;
    static constexpr auto target_key = FK;
    static constexpr bool single = Kind == relation_kind::has_one;
    static constexpr bool optional = single;  // an owner may have none
};

template <auto FK, auto PK, class Tag = void>
using has_many_relation = reverse_fk_relation<FK, PK, relation_kind::has_many, Tag>;
template <auto FK, auto PK, class Tag = void>
using has_one_relation = reverse_fk_relation<FK, PK, relation_kind::has_one, Tag>;

template <auto OwnerPK, auto JoinOwnerFK, auto JoinTargetFK, auto TargetPK, class Tag = void>
struct many_to_many_relation {
    static_assert(detail::data_member_pointer<OwnerPK> && detail::data_member_pointer<JoinOwnerFK> &&
                      detail::data_member_pointer<JoinTargetFK> && detail::data_member_pointer<TargetPK>,
                  "eagerload: many_to_many<&Owner::key, &Join::owner_fk, &Join::target_fk, &Target::key> "
                  "takes four member pointers");
    static_assert(std::is_same_v<detail::class_of<JoinOwnerFK>, detail::class_of<JoinTargetFK>>,
                  "eagerload: many_to_many: both foreign keys must be members of the same join model");
    static constexpr bool valid = detail::same_key_type<JoinOwnerFK, OwnerPK> && detail::same_key_type<JoinTargetFK, TargetPK>;
    static_assert(valid || true);  // evaluates `valid` here: a mismatch is reported where the relation is declared
    using owner = detail::class_of<OwnerPK>;
    using target = detail::class_of<TargetPK>;
    using through = detail::class_of<JoinOwnerFK>;
    static constexpr relation_kind kind = relation_kind::many_to_many;
    static constexpr auto owner_key = OwnerPK;
    static constexpr auto target_key = TargetPK;
    static constexpr auto through_owner_key = JoinOwnerFK;
    static constexpr auto through_target_key = JoinTargetFK;
    static constexpr bool single = false;
    static constexpr bool optional = false;
};

template <auto FK, auto PK, class Tag = void>
inline constexpr belongs_to_relation<FK, PK, Tag> belongs_to{};
template <auto FK, auto PK, class Tag = void>
inline constexpr has_many_relation<FK, PK, Tag> has_many{};
template <auto FK, auto PK, class Tag = void>
inline constexpr has_one_relation<FK, PK, Tag> has_one{};
template <auto OwnerPK, auto JoinOwnerFK, auto JoinTargetFK, auto TargetPK, class Tag = void>
inline constexpr many_to_many_relation<OwnerPK, JoinOwnerFK, JoinTargetFK, TargetPK, Tag> many_to_many{};

template <class R>
concept Relation = requires {
    typename R::owner;
    typename R::target;
    R::kind;
    R::owner_key;
    R::target_key;
    R::valid;
};

}  // namespace eagerload

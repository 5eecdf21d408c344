// What a store call returns: the value (StoreResult<void>: done), or why not.
//
// It keeps std::optional's API (explicit bool, *, ->, value(), value_or(),
// has_value(), and it converts to std::optional<T>), so call sites written for
// optional compile unchanged, and adds the reason: NotFound (the answer is "no
// such thing": the hub says not_found) or Failed (the storage could not answer:
// the hub must not pretend the thing does not exist), and for writes Conflict
// (a taken name, a duplicate id). Lookups and writes report this way; list reads
// and familyActive() do not yet (see docs).
#pragma once

#include <optional>
#include <utility>

namespace Natter::Server {

enum class StoreError {
    NotFound, // no such row (or it is in a state the call does not apply to)
    Conflict, // a write clashes with what exists (a taken name, a duplicate id)
    Failed, // the storage failed; nothing is known
};

template<typename T> class StoreResult
{
public:
    StoreResult(const T &value)
        : m_value(value)
    { }
    StoreResult(T &&value)
        : m_value(std::move(value))
    { }
    StoreResult(StoreError error)
        : m_error(error)
    { }
    // `return std::nullopt;` keeps meaning "not found".
    StoreResult(std::nullopt_t)
        : m_error(StoreError::NotFound)
    { }

    bool has_value() const { return m_value.has_value(); }
    explicit operator bool() const { return m_value.has_value(); }
    T &operator*() & { return *m_value; }
    const T &operator*() const & { return *m_value; }
    T &&operator*() && { return std::move(*m_value); }
    T *operator->() { return &*m_value; }
    const T *operator->() const { return &*m_value; }
    T &value() & { return m_value.value(); }
    const T &value() const & { return m_value.value(); }
    template<typename U> T value_or(U &&fallback) const &
    {
        return m_value.value_or(std::forward<U>(fallback));
    }

    // Meaningful only without a value.
    StoreError error() const { return m_error; }
    bool notFound() const { return !m_value && m_error == StoreError::NotFound; }
    bool conflict() const { return !m_value && m_error == StoreError::Conflict; }
    bool failed() const { return !m_value && m_error == StoreError::Failed; }

    operator std::optional<T>() const & { return m_value; }
    operator std::optional<T>() && { return std::move(m_value); }

private:
    std::optional<T> m_value;
    StoreError m_error = StoreError::NotFound;
};

// A write's outcome: done, or why not.
template<> class StoreResult<void>
{
public:
    StoreResult() = default; // done
    StoreResult(StoreError error)
        : m_done(false)
        , m_error(error)
    { }

    // Implicit, unlike StoreResult<T>'s: these calls returned bool before, and
    // `bool changed = join ? addMember(...) : removeMember(...)` keeps compiling.
    operator bool() const { return m_done; }
    // Meaningful only when not done.
    StoreError error() const { return m_error; }
    bool notFound() const { return !m_done && m_error == StoreError::NotFound; }
    bool conflict() const { return !m_done && m_error == StoreError::Conflict; }
    bool failed() const { return !m_done && m_error == StoreError::Failed; }

private:
    bool m_done = true;
    StoreError m_error = StoreError::NotFound;
};

} // namespace Natter::Server

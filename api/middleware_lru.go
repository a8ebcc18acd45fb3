package api

import (
	"container/list"
	"time"
)

// lru is a bounded map that evicts the least recently used entry when full,
// and optionally expires entries ttl after they were put. It is not safe for
// concurrent use; callers hold a lock.
type lru[K comparable, V any] struct {
	max   int
	ttl   time.Duration // 0: entries never expire
	order *list.List    // front: most recently used; elements hold *lruEntry
	items map[K]*list.Element
}

type lruEntry[K comparable, V any] struct {
	key     K
	val     V
	expires time.Time
}

func newLRU[K comparable, V any](max int, ttl time.Duration) *lru[K, V] {
	if max < 1 {
		max = 1
	}
	return &lru[K, V]{max: max, ttl: ttl, order: list.New(), items: make(map[K]*list.Element)}
}

// get returns the value under k, marking it recently used.
func (l *lru[K, V]) get(k K, now time.Time) (V, bool) {
	e, ok := l.items[k]
	if !ok {
		var zero V
		return zero, false
	}
	ent := e.Value.(*lruEntry[K, V])
	if l.ttl > 0 && now.After(ent.expires) {
		l.order.Remove(e)
		delete(l.items, k)
		var zero V
		return zero, false
	}
	l.order.MoveToFront(e)
	return ent.val, true
}

// put stores v under k, evicting the least recently used entry when full.
func (l *lru[K, V]) put(k K, v V, now time.Time) {
	if e, ok := l.items[k]; ok {
		ent := e.Value.(*lruEntry[K, V])
		ent.val, ent.expires = v, now.Add(l.ttl)
		l.order.MoveToFront(e)
		return
	}
	for len(l.items) >= l.max {
		last := l.order.Back()
		l.order.Remove(last)
		delete(l.items, last.Value.(*lruEntry[K, V]).key)
	}
	l.items[k] = l.order.PushFront(&lruEntry[K, V]{key: k, val: v, expires: now.Add(l.ttl)})
}

// len returns the number of entries (expired ones included until touched).
func (l *lru[K, V]) len() int { return len(l.items) }

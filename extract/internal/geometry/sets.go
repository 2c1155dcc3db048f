package geometry

// Sets is a union-find over 0..n-1: which rules meet, which grid cells
// join into one printed cell. A set's root is only a label.
type Sets []int

// NewSets is n sets of one element each.
func NewSets(n int) Sets {
	s := make(Sets, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// Find returns the root of i's set.
func (s Sets) Find(i int) int {
	for s[i] != i {
		s[i] = s[s[i]]
		i = s[i]
	}
	return i
}

// Union joins the sets of a and b.
func (s Sets) Union(a, b int) { s[s.Find(a)] = s.Find(b) }

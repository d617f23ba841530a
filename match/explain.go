package match

import (
	"fmt"
	"strings"
)

// Explanation says why two headlines are, or are not, one story: what
// Explain found.
type Explanation struct {
	A, B    string   // the headlines without decorations, normalized
	TokensA []string // canonical tokens of A, in order
	TokensB []string // canonical tokens of B, in order
	// ReadA and ReadB say how the pipeline reordered or dropped words of
	// each (a passive, a speaker, a title); empty when it did neither.
	ReadA, ReadB []string
	Score        float64
	Threshold    float64
	Same         bool
	Rule         string   // the rule that decided, when one did
	Shared       []string // tokens of A that B has too ("x~y" for near ones)
	OnlyA, OnlyB []string // tokens one side has alone
}

// Explain compares two headlines as dedupe does at threshold and says
// why: both canonical forms, the score, the decisive tokens and the rule
// that decided, if any. Equal non-empty normalized forms are the same
// story whatever the threshold, as in the store.
func (m *Matcher) Explain(a, b string, threshold float64) Explanation {
	e := Explanation{Threshold: threshold}
	e.A, e.TokensA = m.canonical(a, &e.ReadA)
	e.B, e.TokensB = m.canonical(b, &e.ReadB)
	var p pairing
	e.Score, e.Rule = score(e.TokensA, e.TokensB, &p)
	ta, tb := e.TokensA[:min(len(e.TokensA), maxTokens)], e.TokensB[:min(len(e.TokensB), maxTokens)]
	if len(ta) > 0 && len(tb) > 0 && e.Rule != ruleNegation {
		for i, t := range ta {
			switch j := p.ab[i]; {
			case j < 0:
				e.OnlyA = append(e.OnlyA, t)
			case p.fuzzy[i]:
				e.Shared = append(e.Shared, t+"~"+tb[j])
			default:
				e.Shared = append(e.Shared, t)
			}
		}
		for j, u := range tb {
			if p.ba[j] < 0 {
				e.OnlyB = append(e.OnlyB, u)
			}
		}
	}
	switch {
	case e.A != "" && e.A == e.B:
		e.Same, e.Rule = true, "equal normalized titles"
	case threshold > 0:
		e.Same = e.Score >= threshold
	}
	return e
}

// String renders e for a terminal: one fact a line.
func (e Explanation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "A: %s\n   tokens: %s\n", e.A, strings.Join(e.TokensA, " · "))
	for _, r := range e.ReadA {
		fmt.Fprintf(&b, "   read: %s\n", r)
	}
	fmt.Fprintf(&b, "B: %s\n   tokens: %s\n", e.B, strings.Join(e.TokensB, " · "))
	for _, r := range e.ReadB {
		fmt.Fprintf(&b, "   read: %s\n", r)
	}
	fmt.Fprintf(&b, "score: %.3f (threshold %.2f)\n", e.Score, e.Threshold)
	if len(e.Shared) > 0 {
		fmt.Fprintf(&b, "shared: %s\n", strings.Join(e.Shared, " · "))
	}
	if len(e.OnlyA) > 0 {
		fmt.Fprintf(&b, "only A: %s\n", strings.Join(e.OnlyA, " · "))
	}
	if len(e.OnlyB) > 0 {
		fmt.Fprintf(&b, "only B: %s\n", strings.Join(e.OnlyB, " · "))
	}
	if e.Rule != "" {
		fmt.Fprintf(&b, "rule: %s\n", e.Rule)
	}
	verdict := "different stories"
	if e.Same {
		verdict = "same story"
	}
	fmt.Fprintf(&b, "verdict: %s\n", verdict)
	return b.String()
}

// Same reports whether two headlines tell the same story as dedupe judges
// at threshold: equal non-empty normalized forms, or a threshold above
// zero that Score reaches. Safe for concurrent use.
func (m *Matcher) Same(a, b string, threshold float64) bool {
	na, ta := m.Canonical(a)
	if na == "" {
		return false
	}
	nb, tb := m.Canonical(b)
	if na == nb {
		return true
	}
	return threshold > 0 && nb != "" && Score(ta, tb) >= threshold
}

package domain

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// System Log keyword search (`q`) limits, as Okta documents them.
const (
	MaxLogKeywords      = 10
	MaxLogKeywordLength = 40
)

// LogKeywords splits a `q` value into lower-cased keywords. Every keyword must match for an
// event to be returned. Too many or too long keywords are 400 E0000001 on q.
func LogKeywords(q string) ([]string, error) {
	words := strings.Fields(q)
	if len(words) > MaxLogKeywords {
		return nil, Validation("q", "q: The search query has more than 10 keywords")
	}
	for i, w := range words {
		if utf8.RuneCountInString(w) > MaxLogKeywordLength {
			return nil, Validation("q", "q: A keyword of the search query is longer than 40 characters")
		}
		words[i] = strings.ToLower(w)
	}
	return words, nil
}

// SearchText is what `q` searches in an event: the lower-cased words of its displayMessage,
// eventType, legacyEventType, severity, outcome, actor and targets (id, type, alternateId,
// displayName), client IP, uuid and transaction id, each framed by spaces. A keyword matches
// a whole word, or a part of a hyphenated word. Stored with the event so a search is one
// substring test per keyword.
func (e LogEvent) SearchText() string {
	fields := []string{e.DisplayMessage, e.EventType, e.LegacyEventType, e.Severity, e.Outcome.Result, e.Outcome.Reason,
		e.Actor.ID, e.Actor.Type, e.Actor.AlternateID, e.Actor.DisplayName, e.Client.IPAddress, e.UUID, e.Transaction.ID}
	for _, t := range e.Target {
		fields = append(fields, t.ID, t.Type, t.AlternateID, t.DisplayName)
	}
	seen := map[string]bool{}
	var b strings.Builder
	b.WriteByte(' ')
	add := func(w string) {
		if w != "" && !seen[w] {
			seen[w] = true
			b.WriteString(w)
			b.WriteByte(' ')
		}
	}
	for _, f := range fields {
		for _, w := range strings.Fields(strings.ToLower(f)) {
			w = strings.TrimFunc(w, func(r rune) bool { return unicode.IsPunct(r) && r != '@' && r != '_' })
			add(w)
			if strings.Contains(w, "-") {
				for _, part := range strings.Split(w, "-") {
					add(part)
				}
			}
		}
	}
	return b.String()
}

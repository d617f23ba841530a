// Package match decides when two headlines, or two links, are the same
// story. It is the text side of tickerd's dedupe: pure functions with no
// state, used by the fetcher (item identity), by the store's callers (cross
// source dedupe) and by the feed (keyword filters). It imports nothing of
// tickerd's.
//
// # Identity
//
// CanonicalLink gives a link the form under which two sources agree:
// resolved, with scheme and host in lower case, without default ports,
// fragments and tracking parameters, with the query sorted.
//
// # Text
//
// Normalize gives a headline the form under which two wires agree: NFKC,
// case-folded, Arabic diacritics, tatweel and invisible marks removed,
// alef forms, yeh, teh marbuta and the hamza seats ؤ ئ reduced to plain
// letters, digits in ASCII, punctuation gone, and a leading "عاجل:" or
// "Breaking:" dropped. Tokens splits a normalized headline into the words
// that matter, without stop words and, through Stem, without the Arabic
// conjunction و and article ال. Normalized text is for comparing; what
// readers see never changes.
//
// # Near duplicates
//
// Similarity scores two token sets; Same puts the pieces together and is
// what dedupe.similarity (default 0.8) is a threshold of. The score is a
// weighted Jaccard in which numbers and negations weigh three times a word,
// a negation on one side only ("not", "لم") means no match, and a word
// swapped for another (Silwad for Aboud) costs four times a word added
// (a label, a source tag, a day). Different stories told with the same
// template differ by swaps; copies of one story differ by additions.
// testdata/pairs.tsv holds Arabic and English pairs of both kinds with
// their verdicts; at 0.8 no different pair is judged the same.
//
// Canonical is the pipeline dedupe uses, and Score its measure: Strip
// takes off what wires put around a headline (labels, outlets, datelines,
// attributions, time stamps, a site's sections); numbers are written one
// way in every script; the lexicon (lexicon.txt, extendable from the
// config) gives wire synonyms and transliterations one form; titles with
// a name after them go, offices without one become their holders; and
// the passive and the Arabic act told as a noun are read in the active
// order. The tokens keep the headline's order, with marks (tokens that
// start with "~", which weigh nothing) where a role ends: who an act
// befell, the doer a passive names, names joined by from, to or على, a
// speaker put after what it says. Score reads order and marks: names
// swapped around a verb or a mark, a qualifier on one side (youth,
// former, draft, attempted), a stage on one side (plans, delays, vows),
// another office or kind of place. testdata/probes.tsv holds the pair
// sets the rules are measured on, with each set's score when written.
//
// Signature gives the keys under which a store indexes a headline so that
// finding its near duplicates needs no scan: the work per headline depends
// on how many stored headlines share one of its few keys, not on how many
// are stored. Any two headlines whose Similarity reaches the threshold
// share a key, with certainty (prefix filtering).
//
// # Keywords
//
// ParseKeyword and NewText serve ticker filters: a keyword matches a text
// regardless of diacritics, tatweel, alef/hamza forms and Arabic
// proclitics (و ف, ب ل ك, ال, and their combinations such as وال بال لل)
// before its words; English matches case-insensitively on word
// boundaries. Keyword's documentation states the rule in full.
//
// # Caveats
//
//   - Similarity's sets have no order: "Real Madrid beat Barcelona 2-1"
//     and "Barcelona beat Real Madrid 2-1" are the same set. Score, which
//     dedupe uses, reads the order around the verb and keeps them apart.
//   - Precision is bought with recall. Wires that tell one story in other
//     words the lexicon does not know, or with more words on one side
//     ("Gunmen kill 12" / "12 killed as gunmen attack village"), stay
//     separate; a reader sees the story twice, never two stories as one.
//   - Order is read around verbs, and a verb is what isVerb takes for one:
//     a role swap around a verb it does not know ("A stonewalls B") is not
//     seen. It errs towards verbs; an English word used as both ("strike",
//     "attack") counts as one.
//   - A title with a name after it is dropped with the country or body
//     before it and an English first name ("French President Emmanuel
//     Macron" is "Macron"; "Former President Trump" is "Trump"). A title
//     without a name stays, as it is the only word for who acted, so
//     "Sudan's army chief visits Egypt" and "Sudan army chief Burhan
//     visits Egypt" stay apart. Titles are a fixed list (titles.go).
//   - An English passive ("killed", "beaten by") and an Arabic act told
//     as a noun (مقتل, اعتقال, with على يد or برصاص for the doer) are read;
//     an Arabic passive verb written without diacritics (قتل) looks like
//     the active, and a past-tense verb first reads as such a noun.
//   - Keyword matching takes off no suffixes ("kill" misses "killed",
//     غزة misses غزاوي), and its proclitic rule can make a keyword match
//     inside an unrelated word whose first letters look like a proclitic
//     (بنان in لبنان).
//   - A changed number is a different story: a death toll that rises from
//     2,012 to 2,497 is a new ticker item, as the updated count is news.
//   - One word added on one side is an addition, whatever the word: "Trump
//     meets Erdogan in Ankara" and "Trump meets Erdogan and Sisi in Ankara"
//     match, as nothing without a dictionary tells "Sisi" from "Reuters".
//   - ى → ي makes the preposition على and the name علي one word; it is a
//     stop word, so the name counts for nothing. And the ؤ → و,
//     ئ → ي keep the two spellings مسؤول / مسئول (and شؤون / شئون) apart.
//   - Stem strips و and ال only. "لغزة" is not "غزة" for Similarity,
//     though the keyword rule (which knows its word) accepts the prefix. A word that begins with و is stemmed as if it were the
//     conjunction (وزير → زير), consistently, so it still matches itself.
//   - "عبدالله" and "عبد الله" are different tokens; so are "U.K." and
//     "Britain".
//   - Strip cuts only what it knows: a listed outlet, a segment with an
//     outlet's word (news, وكالة), a label, an attribution, a time stamp.
//     An unknown site name after a dash stays and counts as an added word,
//     since "Liverpool 2 - 1 Chelsea" cannot be told from a tag.
//   - Normalize reads the first 16 KiB of a title and keeps 1,000 runes:
//     two titles that differ only beyond that are equal for matching.
//   - Changing any rule here changes normalized titles and keys; Version
//     says when a store must rebuild what it derived from them. Keys made
//     at one threshold only serve that threshold and higher ones.
//   - Signature keys are plain tokens, longest first; a long word common
//     in one region's news ("فلسطينيه") heads many lists. An index
//     bounded by dedupe.window keeps them short.
//   - CanonicalLink does not turn punycode hosts into Unicode or back, does
//     not strip "www.", and does not follow redirects: two links it leaves
//     apart may still be one page.
package match

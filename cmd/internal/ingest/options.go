package ingest

import (
	"govreport"
	"govreport/normalize"
	"govreport/store"
)

// StoreOptions are the options of a database holding what set reads: its
// layouts, the legacy indicators and column words (legacy.json), and the
// checks run again on corrected cells. store does not import normalize:
// this is where one's templates become the other's data.
func StoreOptions(set *normalize.TemplateSet) store.Options {
	return store.Options{
		ParserVersion: normalize.Version,
		Templates:     set.Layouts(),
		Indicators:    set.Indicators(),
		LegacyColumns: LegacyColumns(set.Legacy()),
		Recheck:       set.Check,
	}
}

// LegacyColumns are the column words of a legacy table as the store
// takes them.
func LegacyColumns(t normalize.LegacyTable) govreport.LegacyColumns {
	return govreport.LegacyColumns{ThisYear: t.ThisYear, Cumulative: t.Cumulative, PreviousYear: t.PreviousYear}
}

package main

import (
	"slices"

	"govreport"
	"govreport/normalize"
)

// tableKeys lists the tables of a document in the order parse and explain
// print them: the templates' tables (t2, t3, t4), then the others its
// cells name (legacy), in the order found.
func tableKeys(d *govreport.Document) []string {
	var keys []string
	for _, t := range normalize.Templates() {
		for _, tb := range t.Tables {
			if !slices.Contains(keys, tb.Key) {
				keys = append(keys, tb.Key)
			}
		}
	}
	for _, c := range d.Cells {
		if !slices.Contains(keys, c.Table) {
			keys = append(keys, c.Table)
		}
	}
	return keys
}

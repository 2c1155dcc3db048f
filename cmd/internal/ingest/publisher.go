package ingest

import (
	"context"
	"net/url"

	"govreport"
	"govreport/normalize/agency"
	"govreport/store"
)

// SetPublisher resolves the document's agency (d.Publisher) before it is
// saved: its region from its name, else from seedAgency (the agency the
// crawler's seeds name for the site; "" when none), else from the reports
// the database holds from the same site (when d.Source is a URL).
func SetPublisher(ctx context.Context, st *store.Store, d *govreport.Document, seedAgency string) error {
	if d.Agency == "" {
		return nil
	}
	var hints []string
	if seedAgency != "" {
		hints = append(hints, seedAgency)
	}
	a := agency.Resolve(d.Agency, hints...)
	if a.RegionFrom == "" {
		if u, err := url.Parse(d.Source); err == nil && u.Host != "" && (u.Scheme == "http" || u.Scheme == "https") {
			r, err := st.HostRegion(ctx, u.Host)
			if err != nil {
				return err
			}
			a = agency.WithRegion(a, r, govreport.RegionFromHost)
		}
	}
	d.Publisher = &a
	return nil
}

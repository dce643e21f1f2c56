package secure

import "github.com/strata-settings/strata/settings"

// UIAPIURL returns the API URL a browser should use: server.ui.api_url,
// which Load derives when it is not set (api.url, else
// http://{server.api.host}:{server.api.port}/api, as Prefect does).
func UIAPIURL(r *settings.Result) string {
	if u := r.Settings.Server.UI.APIURL; u != nil {
		return *u
	}
	return ""
}

package deploy

import (
	"strconv"
	"strings"

	"github.com/strata-settings/strata/sources"
)

// imageHint is ReleaseFromImage, and whether the image says anything.
func imageHint(image string, pos sources.Position) (ReleaseHint, bool) {
	h := ReleaseFromImage(image, pos)
	return h, !h.IsZero()
}

// requirementHint reads what a pip requirement (prefect==3.4.2,
// "prefect[aws]>=3.1,<4", prefect-client) says of the release it installs:
// an exact pin its version; a bound below 3 Prefect 2; no version or
// only a lower bound the newest release. Requirements of other packages
// say nothing.
func requirementHint(req string, pos sources.Position, from string) (ReleaseHint, bool) {
	req, _, _ = strings.Cut(req, ";") // markers
	req = strings.TrimSpace(req)
	i := 0
	for i < len(req) && isNameByte(req[i]) {
		i++
	}
	name := nameNormalizer.Replace(strings.ToLower(req[:i]))
	if name != "prefect" && name != "prefect-client" {
		return ReleaseHint{}, false
	}
	rest := strings.TrimSpace(req[i:])
	if strings.HasPrefix(rest, "[") {
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			return ReleaseHint{}, false
		}
		rest = strings.TrimSpace(rest[end+1:])
	}
	h := ReleaseHint{Pos: pos, From: from}
	if strings.HasPrefix(rest, "@") {
		return ReleaseHint{}, false // a URL or a path
	}
	rest = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(rest, "("), ")"))
	if rest == "" {
		h.Newest = true
		return h, true
	}
	lowerOnly := true
	for _, clause := range strings.Split(rest, ",") {
		clause = strings.ReplaceAll(clause, " ", "")
		op := strings.TrimRight(clause, "0123456789.*abcdefghijklmnopqrstuvwxyz+!")
		v := clause[len(op):]
		major := ""
		if j := strings.IndexByte(v, '.'); j > 0 {
			major = v[:j]
		} else {
			major = v
		}
		switch op {
		case "==", "===":
			lowerOnly = false
			if strings.HasSuffix(v, "*") {
				if major == "2" {
					h.Major = 2
				}
				continue
			}
			h.Version = v
			if major == "2" {
				h.Major = 2
			}
		case "<", "<=":
			if n, err := strconv.Atoi(major); err == nil && n >= 4 {
				continue // <4 bounds no release there is
			}
			lowerOnly = false
			if major == "2" || major == "3" && op == "<" && strings.Trim(v[1:], ".0") == "" {
				h.Major = 2 // <3, <3.0, <=2.20
			}
		case "~=":
			lowerOnly = false
			if major == "2" {
				h.Major = 2
			}
		case ">=", ">", "!=":
		default:
			return ReleaseHint{}, false
		}
	}
	if lowerOnly {
		h.Newest = true
	}
	if h.IsZero() {
		return ReleaseHint{}, false
	}
	return h, true
}

// nameNormalizer normalizes a package name as PEP 503 does.
var nameNormalizer = strings.NewReplacer("_", "-", ".", "-")

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
}

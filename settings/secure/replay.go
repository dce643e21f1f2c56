package secure

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
)

// defaultMaxBufferedBody is the largest body kept for sending again,
// unless ClientOptions say otherwise.
const defaultMaxBufferedBody = 16 << 20

// buffer makes req's body replayable: a body without GetBody is read into
// memory when it fits in maxBody. It reports whether the body can be sent
// again. A body too large is put back together and sent once.
func (t *Transport) buffer(req *http.Request) (bool, error) {
	if req.Body == nil || req.Body == http.NoBody || req.GetBody != nil {
		return true, nil
	}
	if t.maxBody < 0 {
		return false, nil
	}
	orig := req.Body
	head, err := io.ReadAll(io.LimitReader(orig, t.maxBody+1))
	if err != nil {
		orig.Close()
		return false, fmt.Errorf("reading the request body: %w", err)
	}
	if int64(len(head)) > t.maxBody {
		req.Body = unread(head, orig)
		return false, nil
	}
	orig.Close()
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(head)), nil }
	req.Body, _ = req.GetBody()
	req.ContentLength = int64(len(head))
	return true, nil
}

// closeBody closes a request body the transport will not send.
func closeBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}

// rewind gives req a fresh copy of its body, from GetBody, for another
// attempt.
func rewind(req *http.Request) error {
	if req.GetBody == nil {
		return nil
	}
	body, err := req.GetBody()
	if err != nil {
		return fmt.Errorf("replaying the request body: %w", err)
	}
	req.Body = body
	return nil
}

// unread puts head, read from the start of rc, back in front of the rest:
// the result reads as rc did before, and closes rc.
func unread(head []byte, rc io.ReadCloser) io.ReadCloser {
	return struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(head), rc), rc}
}

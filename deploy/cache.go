package deploy

import (
	"bytes"
	"errors"
	"io/fs"
	"strings"

	"github.com/strata-settings/strata/internal/contentcache"
	"github.com/strata-settings/strata/sources"
)

// readCache keeps what readers made of deployment files, by their
// contents and the contents of every file they read beside them, so that
// reading the same files again (a service resolving a container's settings
// per request, a watch woken by a file that did not change) parses
// nothing: Compose's loader takes milliseconds where resolving settings
// takes a fraction of one.
var readCache = contentcache.New[string, *cachedRead](16)

// cachedRead is a File and the files its reader read through
// Input.ReadFile, each with what it held.
type cachedRead struct {
	file *File
	deps []readDep
}

type readDep struct {
	path   string
	data   []byte
	absent bool // no file was there
}

// Cached reads files with read (ReadCompose, ReadKubernetes, a Kind's
// Read), or returns what an earlier call made of the same files: same
// paths, contents and environment, and every other file the reader read
// (an env_file, the project's .env) unchanged. name tells the readers
// apart. The File returned may be shared: it must not be modified. Errors
// are not kept.
func Cached(name string, read func([]*Input) (*File, error), files []*Input) (*File, error) {
	key, data := cacheKey(name, files)
	if c, ok := readCache.Get(key, data); ok && c.current(files) {
		return c.file, nil
	}
	c := &cachedRead{}
	ins := make([]*Input, len(files))
	for i, in := range files {
		cp := *in
		readFile := in.ReadFile
		if readFile == nil {
			readFile = sources.ReadFile
		}
		cp.ReadFile = func(p string) ([]byte, error) {
			b, err := readFile(p)
			switch {
			case err == nil:
				c.deps = append(c.deps, readDep{path: p, data: bytes.Clone(b)})
			case errors.Is(err, fs.ErrNotExist):
				c.deps = append(c.deps, readDep{path: p, absent: true})
			default:
				c.deps = append(c.deps, readDep{path: p, absent: true, data: []byte(err.Error())})
			}
			return b, err
		}
		ins[i] = &cp
	}
	f, err := read(ins)
	if err != nil {
		return f, err
	}
	c.file = f
	readCache.Put(key, data, c)
	return f, nil
}

// cacheKey returns the key of a read of files and the data it depends on
// besides the files read through ReadFile: every input's path, directory,
// environment and contents.
func cacheKey(name string, files []*Input) (string, []byte) {
	var key strings.Builder
	var data bytes.Buffer
	key.WriteString(name)
	for _, in := range files {
		key.WriteString("\x00" + in.Path + "\x00" + in.Dir)
		data.WriteString(strings.Join(in.Environ, "\x00"))
		data.WriteByte(1)
		data.Write(in.Data)
		data.WriteByte(1)
	}
	return key.String(), data.Bytes()
}

// current reports whether every file the reader read still holds what it
// held then.
func (c *cachedRead) current(files []*Input) bool {
	readFile := sources.ReadFile
	if len(files) > 0 && files[0].ReadFile != nil {
		readFile = files[0].ReadFile
	}
	for _, d := range c.deps {
		b, err := readFile(d.path)
		switch {
		case err == nil && (d.absent || !bytes.Equal(b, d.data)):
			return false
		case err != nil && (!d.absent || !errors.Is(err, fs.ErrNotExist) && err.Error() != string(d.data)):
			return false
		}
	}
	return true
}

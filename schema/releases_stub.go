package schema

const newestID = "3.8.0"

func published(id string) (*Set, bool) { return nil, false }

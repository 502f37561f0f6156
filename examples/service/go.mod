module example.com/service

go 1.19

require (
	github.com/go-chi/chi/v5 v5.0.12
	github.com/google/uuid v1.6.0
	github.com/spf13/pflag v1.0.5
)

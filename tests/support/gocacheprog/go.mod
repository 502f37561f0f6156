module cmake-ko.test/gocacheprog

go 1.24

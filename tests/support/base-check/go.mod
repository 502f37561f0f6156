module example.com/basecheck

go 1.19

"""Reading a PHPCMS v9 database: nothing here writes, and nothing read is trusted."""

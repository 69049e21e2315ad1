"""Operations: job definitions, repository, task-center projection, stage executors."""

"""Asynchronous jobs: a Redis (or in-process) queue of article chunks, workers, signed webhooks."""

from service.jobs.runtime import open_jobs
from service.jobs.service import DEFAULT_PAGE, Item, JobPage, JobService, JobWorker, Processor, job_path

__all__ = ["DEFAULT_PAGE", "Item", "JobPage", "JobService", "JobWorker", "Processor", "job_path", "open_jobs"]

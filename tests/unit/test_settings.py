"""Settings come from the environment, typed, and fail fast with the variable's name."""

from __future__ import annotations

import pytest

from service.settings import Settings, SettingsError


def test_defaults_without_environment() -> None:
    """An empty environment gives the documented defaults."""
    settings = Settings.from_env({})
    assert (settings.http.host, settings.http.port) == ("127.0.0.1", 8000)
    assert settings.cache.redis_url is None
    assert settings.limits.max_text_chars == 200_000
    assert settings.limits.max_batch == 64
    assert settings.security.api_keys == ()
    assert settings.security.rate_limit is None
    assert settings.http.playground is True
    assert settings.nlp.recycle_articles == 1_000


def test_playground_switch() -> None:
    """PLAYGROUND=false turns the page off; other spellings of a boolean are read too."""
    assert (False, True) == (
        Settings.from_env({"PLAYGROUND": "false"}).http.playground,
        Settings.from_env({"PLAYGROUND": "on"}).http.playground,
    )


def test_values_are_parsed() -> None:
    """Numbers, lists and rates are parsed from their environment form."""
    settings = Settings.from_env(
        {
            "PORT": "9000",
            "WORKERS": "3",
            "API_KEYS": "a, b,,",
            "RATE_LIMIT": "600/minute",
            "LOG_JSON": "no",
            "NLP_RECYCLE_ARTICLES": "0",
        }
    )
    assert settings.nlp.recycle_articles == 0
    assert (settings.http.port, settings.http.workers) == (9000, 3)
    assert settings.security.api_keys == ("a", "b")
    assert settings.security.rate_limit == (600, 60)
    assert settings.log.json is False


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PORT", "eighty"),
        ("WORKERS", "0"),
        ("NLP_RECYCLE_ARTICLES", "-5"),
        ("RATE_LIMIT", "10/fortnight"),
        ("LOG_LEVEL", "LOUD"),
        ("LOG_JSON", "maybe"),
        ("PLAYGROUND", "sometimes"),
        ("REDIS_URL", "localhost:6410"),
        ("REDIS_URL", "http://127.0.0.1:6379"),
        ("REDIS_URL", "redis://127.0.0.1:port/0"),
        ("TRUSTED_PROXIES", "10.0.0.1, not-an-address"),
    ],
)
def test_invalid_value_names_the_variable(name: str, value: str) -> None:
    """A bad value stops start-up with a message naming the variable."""
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({name: value})


def test_redis_url_and_trusted_proxies_are_read() -> None:
    """A redis URL and a list of proxy addresses and networks are accepted as given."""
    settings = Settings.from_env(
        {"REDIS_URL": "redis://127.0.0.1:6379/2", "TRUSTED_PROXIES": "10.0.0.1, 10.1.0.0/16"}
    )
    assert ("redis://127.0.0.1:6379/2", ("10.0.0.1", "10.1.0.0/16")) == (
        settings.cache.redis_url,
        settings.http.trusted_proxies,
    )


def test_job_settings_are_read() -> None:
    """Job limits, the webhook key and the allowed callback hosts are parsed from their variables."""
    secret = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"  # a test key, not a credential
    jobs = Settings.from_env(
        {
            "MAX_JOB_ARTICLES": "500",
            "JOB_TTL_SECONDS": "3600",
            "JOB_CONSUMER": "0",
            "WEBHOOK_SECRET": secret,
            "WEBHOOK_ALLOWED_HOSTS": "Hooks.Example.org., *.cms.example.net, 10.0.0.5",
            "WEBHOOK_MAX_ATTEMPTS": "3",
        }
    ).jobs
    assert (500, 3600, False, secret, 3) == (
        jobs.max_articles,
        jobs.ttl_seconds,
        jobs.consume_in_api,
        jobs.webhook_secret,
        jobs.webhook_max_attempts,
    )
    assert ("hooks.example.org", "*.cms.example.net", "10.0.0.5") == jobs.webhook_allowed_hosts


def test_job_defaults() -> None:
    """Without variables: 10,000 articles, 7 days, consumers in the API, no webhooks, 6 attempts, 10 s."""
    jobs = Settings.from_env({}).jobs
    assert (10_000, 604_800, True, None, (), 6, 10.0) == (
        jobs.max_articles,
        jobs.ttl_seconds,
        jobs.consume_in_api,
        jobs.webhook_secret,
        jobs.webhook_allowed_hosts,
        jobs.webhook_max_attempts,
        jobs.webhook_timeout_seconds,
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("WEBHOOK_SECRET", "not-a-whsec"),
        ("WEBHOOK_SECRET", "whsec_!!!"),
        ("WEBHOOK_SECRET", "whsec_c2hvcnQ="),
        ("WEBHOOK_ALLOWED_HOSTS", "http://hooks.example.org"),
        ("WEBHOOK_ALLOWED_HOSTS", "a.*.example.org"),
        ("MAX_JOB_ARTICLES", "0"),
    ],
)
def test_invalid_job_values_name_the_variable(name: str, value: str) -> None:
    """A malformed webhook key, host list or job limit stops start-up naming the variable."""
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({name: value})


def test_redis_cluster_is_read_with_its_url() -> None:
    """REDIS_CLUSTER=true with a node's URL turns the cluster client on; it is off by default."""
    on = Settings.from_env({"REDIS_URL": "redis://10.0.0.5:7000", "REDIS_CLUSTER": "true"})
    assert (True, "redis://10.0.0.5:7000") == (on.cache.redis_cluster, on.cache.redis_url)
    assert False is Settings.from_env({"REDIS_URL": "redis://10.0.0.5:7000"}).cache.redis_cluster


@pytest.mark.parametrize(
    "env",
    [
        {"REDIS_CLUSTER": "true"},
        {"REDIS_CLUSTER": "true", "REDIS_URL": "unix:///run/redis.sock"},
        {"REDIS_CLUSTER": "true", "REDIS_URL": "redis://10.0.0.5:7000/3"},
        {"REDIS_CLUSTER": "sometimes", "REDIS_URL": "redis://10.0.0.5:7000"},
    ],
)
def test_redis_cluster_refuses_what_a_cluster_cannot_use(env: dict[str, str]) -> None:
    """A cluster with no URL, a Unix socket, a database other than 0 or a bad boolean stops start-up."""
    with pytest.raises(SettingsError, match="REDIS_CLUSTER"):
        Settings.from_env(env)


def test_jobs_use_the_single_redis_and_not_a_cluster() -> None:
    """The job queue shares REDIS_URL, except on a cluster, where jobs run in-process (no URL)."""
    single = Settings.from_env({"REDIS_URL": "redis://10.0.0.5:6379"})
    cluster = Settings.from_env({"REDIS_URL": "redis://10.0.0.5:7000", "REDIS_CLUSTER": "true"})
    assert ("redis://10.0.0.5:6379", None) == (single.cache.jobs_redis_url, cluster.cache.jobs_redis_url)

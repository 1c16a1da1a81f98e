from planet_gui.core.transfer.ratelimit import RateLimiter


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_reservations_are_paced_at_the_rate() -> None:
    clock = FakeClock()
    limiter = RateLimiter(1000, clock=clock)
    assert limiter.delay_for(500) == 0  # the first part goes at once
    assert limiter.delay_for(1000) == 0.5  # then each waits for the bytes before it
    assert limiter.delay_for(1000) == 1.5
    clock.now += 10  # an idle period does not build up a burst beyond one part
    assert limiter.delay_for(1000) == 0
    assert limiter.delay_for(1) == 1.0


def test_acquire_checks_for_cancel_while_waiting() -> None:
    limiter = RateLimiter(10)
    limiter.delay_for(10)  # the next second is taken
    calls = []

    def check() -> None:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("cancelled")

    try:
        limiter.acquire(10, check, step=0.05)
    except RuntimeError:
        pass
    else:
        raise AssertionError("acquire ignored the cancel")
    assert len(calls) == 2

package io.eddy.bench.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class FeedReplayScenarioTest {
    @Test
    void medianOfAnOddCountIsTheMiddleValue() {
        assertEquals(5.0, FeedReplayScenario.median(List.of(9.0, 1.0, 5.0)));
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertEquals(4.0, FeedReplayScenario.median(List.of(10.0, 3.0, 1.0, 5.0)));
    }
}

package dev.daxviz.scenario;

import java.util.List;
import java.util.stream.Collectors;

/** A scenario that does not validate: every problem found, in document order. */
public class ScenarioException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<Problem> problems;

    public ScenarioException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}

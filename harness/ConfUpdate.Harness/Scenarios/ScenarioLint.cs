using ConfUpdate.Harness.Probe;
using ConfUpdate.Protocol;

namespace ConfUpdate.Harness.Scenarios;

/// <summary>Checks the schema cannot express: known status names, size expressions, patterns, roles of connections.</summary>
internal static class ScenarioLint
{
    public static IEnumerable<string> Check(Scenario scenario)
    {
        foreach (ScenarioStep step in scenario.AllSteps())
        {
            // An attempt with nothing to match always "succeeds": the step would be a no-op that reads as a check.
            if (step.Action is EventuallyStep eventually && !eventually.Block.Steps.Any(s => s.Expect is not null || s.Action.MustSucceed))
            {
                yield return "an eventually step needs a step that can fail (one with expect:, or a connect or server action).";
            }

            foreach (Expectation expectation in Flatten(step.Expect))
            {
                foreach (string status in new[] { expectation.Status }.Concat(expectation.Statuses ?? []).OfType<string>())
                {
                    if (!StatusInfo.TryParseWireName(status, out _))
                    {
                        yield return $"unknown status '{status}' (expected a STAT-1 name such as OK or TOO_LARGE).";
                    }
                }

                foreach (string? size in new[] { expectation.Size, expectation.MaxRequestSize, expectation.VersionOf?.Size })
                {
                    if (size is not null && !SizeContext.IsExpression(size))
                    {
                        yield return $"'{size}' is not a size expression.";
                    }
                }
            }

            foreach (DatagramSpec datagram in step.Action.Datagrams)
            {
                foreach (ContentSpec content in new[] { datagram.Content, datagram.Raw, datagram.ExpectedContent }.OfType<ContentSpec>())
                {
                    if (!Patterns.IsKnown(content.Pattern))
                    {
                        yield return $"unknown pattern '{content.Pattern}' (expected {string.Join(", ", Patterns.Names)}).";
                    }

                    if (content.Size is not null && !SizeContext.IsExpression(content.Size))
                    {
                        yield return $"'{content.Size}' is not a size expression.";
                    }
                }

                if (datagram.Size is not null && !SizeContext.IsExpression(datagram.Size))
                {
                    yield return $"'{datagram.Size}' is not a size expression.";
                }
            }
        }
    }

    private static IEnumerable<Expectation> Flatten(Expectation? expectation)
    {
        if (expectation is null)
        {
            yield break;
        }

        yield return expectation;
        foreach (Expectation inner in (expectation.AnyOf ?? []).SelectMany(Flatten))
        {
            yield return inner;
        }
    }
}

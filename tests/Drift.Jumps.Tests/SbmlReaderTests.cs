using Drift.Jumps.Cme;
using Drift.Jumps.Networks;
using Drift.Jumps.Sbml;
using Drift.Jumps.Simulation;
using Drift.Models.Text;

namespace Drift.Jumps.Tests;

public sealed class SbmlReaderTests
{
    private const string MathNs = "http://www.w3.org/1998/Math/MathML";

    /// <summary>DSMTS 001-01 birth–death in Level 2 Version 4, written in concentrations: 100 molecules = 50 per unit volume × size 2, laws V·λ·[X].</summary>
    internal const string BirthDeathLevel2 = $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <sbml xmlns="http://www.sbml.org/sbml/level2/version4" level="2" version="4">
          <model id="birth_death">
            <listOfCompartments>
              <compartment id="cell" size="2"/>
            </listOfCompartments>
            <listOfSpecies>
              <species id="X" compartment="cell" initialConcentration="50"/>
            </listOfSpecies>
            <listOfParameters>
              <parameter id="lambda" value="0.1"/>
              <parameter id="mu" value="0.11"/>
            </listOfParameters>
            <listOfReactions>
              <reaction id="birth" reversible="false">
                <listOfReactants><speciesReference species="X"/></listOfReactants>
                <listOfProducts><speciesReference species="X" stoichiometry="2"/></listOfProducts>
                <kineticLaw><math xmlns="{MathNs}"><apply><times/><ci> cell </ci><ci> lambda </ci><ci> X </ci></apply></math></kineticLaw>
              </reaction>
              <reaction id="death" reversible="false">
                <listOfReactants><speciesReference species="X"/></listOfReactants>
                <kineticLaw><math xmlns="{MathNs}"><apply><times/><ci>cell</ci><ci>mu</ci><ci>X</ci></apply></math></kineticLaw>
              </reaction>
            </listOfReactions>
          </model>
        </sbml>
        """;

    /// <summary>Dimerisation 2P ⇄ P2 in Level 3 Version 1: one reversible reaction, local parameters, kf·P² − kr·P2 with kf = 5·10⁻⁴ (e-notation).</summary>
    private const string DimerisationLevel3 = $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <sbml xmlns="http://www.sbml.org/sbml/level3/version1/core" level="3" version="1">
          <model id="dimerisation">
            <listOfCompartments><compartment id="c" size="1" constant="true"/></listOfCompartments>
            <listOfSpecies>
              <species id="P" compartment="c" initialAmount="100" hasOnlySubstanceUnits="true" boundaryCondition="false" constant="false"/>
              <species id="P2" compartment="c" initialAmount="0" hasOnlySubstanceUnits="true" boundaryCondition="false" constant="false"/>
            </listOfSpecies>
            <listOfReactions>
              <reaction id="dimerise" reversible="true" fast="false">
                <listOfReactants><speciesReference species="P" stoichiometry="2" constant="true"/></listOfReactants>
                <listOfProducts><speciesReference species="P2" stoichiometry="1" constant="true"/></listOfProducts>
                <kineticLaw>
                  <math xmlns="{MathNs}">
                    <apply><minus/>
                      <apply><times/><ci>kf</ci><apply><power/><ci>P</ci><cn type="integer">2</cn></apply></apply>
                      <apply><times/><ci>kr</ci><ci>P2</ci></apply>
                    </apply>
                  </math>
                  <listOfLocalParameters>
                    <localParameter id="kf" value="5e-4"/>
                    <localParameter id="kr" value="0.01"/>
                  </listOfLocalParameters>
                </kineticLaw>
              </reaction>
            </listOfReactions>
          </model>
        </sbml>
        """;

    private const string DimerisationText = "species P = 100, P2 = 0\n2P <-> P2, 0.001, 0.01\n";

    /// <summary>
    /// Michaelis–Menten with inflow in Level 3 Version 2: a function definition mm(v, k, s) = v·s/(k + s), an enzyme-free
    /// non-mass-action law, rational and e-notation numbers.
    /// </summary>
    internal const string MichaelisMentenLevel3 = $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2">
          <model id="michaelis_menten">
            <listOfFunctionDefinitions>
              <functionDefinition id="mm">
                <math xmlns="{MathNs}">
                  <lambda><bvar><ci>v</ci></bvar><bvar><ci>k</ci></bvar><bvar><ci>s</ci></bvar>
                    <apply><divide/><apply><times/><ci>v</ci><ci>s</ci></apply><apply><plus/><ci>k</ci><ci>s</ci></apply></apply>
                  </lambda>
                </math>
              </functionDefinition>
            </listOfFunctionDefinitions>
            <listOfCompartments><compartment id="c" size="1" constant="true"/></listOfCompartments>
            <listOfSpecies>
              <species id="S" compartment="c" initialAmount="5" hasOnlySubstanceUnits="true" boundaryCondition="false" constant="false"/>
              <species id="P" compartment="c" initialAmount="0" hasOnlySubstanceUnits="true" boundaryCondition="false" constant="false"/>
            </listOfSpecies>
            <listOfParameters>
              <parameter id="vmax" value="2" constant="true"/>
              <parameter id="km" value="5" constant="true"/>
            </listOfParameters>
            <listOfReactions>
              <reaction id="inflow" reversible="false">
                <listOfProducts><speciesReference species="S" stoichiometry="1" constant="true"/></listOfProducts>
                <kineticLaw><math xmlns="{MathNs}"><cn type="rational">3<sep/>4</cn></math></kineticLaw>
              </reaction>
              <reaction id="convert" reversible="false">
                <listOfReactants><speciesReference species="S" stoichiometry="1" constant="true"/></listOfReactants>
                <listOfProducts><speciesReference species="P" stoichiometry="1" constant="true"/></listOfProducts>
                <kineticLaw><math xmlns="{MathNs}"><apply><ci>mm</ci><ci>vmax</ci><ci>km</ci><ci>S</ci></apply></math></kineticLaw>
              </reaction>
              <reaction id="decay" reversible="false">
                <listOfReactants><speciesReference species="P" stoichiometry="1" constant="true"/></listOfReactants>
                <kineticLaw><math xmlns="{MathNs}"><apply><times/><cn type="e-notation">5<sep/>-1</cn><ci>P</ci></apply></math></kineticLaw>
              </reaction>
            </listOfReactions>
          </model>
        </sbml>
        """;

    private const string MichaelisMentenText = """
        species S = 5, P = 0
        param vmax = 2
        param km = 5
        0 -> S, 0.75
        S -> P, propensity = vmax * S / (km + S)
        P -> 0, 0.5
        """;

    /// <summary>The two networks have the same species, changes, kinds and propensities, bit for bit, on a grid of states.</summary>
    private static void AssertSameNetwork(ReactionNetwork expected, ReactionNetwork actual)
    {
        Assert.Equal(expected.Species, actual.Species);
        Assert.Equal(expected.InitialCounts, actual.InitialCounts);
        Assert.Equal(expected.ReactionCount, actual.ReactionCount);
        var a = new PropensityTable(expected);
        var b = new PropensityTable(actual);
        for (int j = 0; j < expected.ReactionCount; j++)
        {
            Assert.Equal(expected.Reactions[j].IsMassAction, actual.Reactions[j].IsMassAction);
            Assert.Equal(expected.Reactions[j].RateConstant, actual.Reactions[j].RateConstant);
            Assert.Equal(expected.Reactions[j].DependsOnTime, actual.Reactions[j].DependsOnTime);
            for (int i = 0; i < expected.SpeciesCount; i++) Assert.Equal(expected.NetChange(j, i), actual.NetChange(j, i));
            for (int x = 0; x < 12; x++)
            {
                double[] state = [.. Enumerable.Range(0, expected.SpeciesCount).Select(i => (double)(x * (i + 3) % 13))];
                double t = 0.37 * x;
                Assert.Equal(expected.Propensity(j, state, t), actual.Propensity(j, state, t));
                Assert.Equal(a.EvaluateAt(j, state, t), b.EvaluateAt(j, state, t));
            }
        }
    }

    /// <summary>The same seed gives the same simulation, bit for bit.</summary>
    private static void AssertSameSimulation(ReactionNetwork expected, ReactionNetwork actual, double t1)
    {
        var options = new JumpOptions { Runs = 256, Seed = 7, Threads = 1, SaveTimes = [0, t1 / 2, t1] };
        var x = JumpSimulator.Simulate(expected, JumpMethod.Direct, t1, options);
        var y = JumpSimulator.Simulate(actual, JumpMethod.Direct, t1, options);
        Assert.Equal(x.Events, y.Events);
        for (int s = 0; s < 3; s++)
            for (int i = 0; i < expected.SpeciesCount; i++) Assert.Equal(x.Statistics.Moments(s, i), y.Statistics.Moments(s, i));
    }

    [Fact]
    public void Level_2_birth_death_in_concentrations_equals_the_text_model()
    {
        var sbml = SbmlReader.Parse(BirthDeathLevel2);
        AssertSameNetwork(Models.BirthDeath, sbml);
        Assert.Equal(0.1, sbml.Reactions[0].RateConstant); // 2 · 0.1 · (X/2) → c = 0.1
        Assert.Equal(["lambda", "mu"], sbml.ParameterNames);
        // Level 2 reactions are reversible by default; a law that is no difference forward − backward stays one reaction
        AssertSameNetwork(Models.BirthDeath, SbmlReader.Parse(BirthDeathLevel2.Replace(" reversible=\"false\"", "", StringComparison.Ordinal)));
        AssertSameSimulation(Models.BirthDeath, sbml, 10);
        var p = FiniteStateProjection.Build(sbml, [400]).Transient(10, 1e-12);
        Assert.Equal(FiniteStateProjection.Build(Models.BirthDeath, [400]).Transient(10, 1e-12).Mean(0), p.Mean(0));
        Assert.Equal(Models.BirthDeathMean(10), p.Mean(0), 1e-6);
    }

    [Fact]
    public void Level_3_reversible_dimerisation_is_split_into_two_mass_action_reactions()
    {
        var sbml = SbmlReader.Parse(DimerisationLevel3);
        var text = ReactionNetwork.Parse(DimerisationText);
        AssertSameNetwork(text, sbml);
        Assert.True(sbml.Reactions[0].IsMassAction && sbml.Reactions[1].IsMassAction);
        Assert.Equal(0.001, sbml.Reactions[0].RateConstant); // kf·P² → kf·P(P−1): c = 2!·kf
        Assert.Equal(5e-4 * 7 * 6, sbml.Propensity(0, [7, 0]), 1e-15);
        var stationary = FiniteStateProjection.Build(sbml, [100, 50]).Stationary();
        Assert.Equal(FiniteStateProjection.Build(text, [100, 50]).Stationary().Mean(0), stationary.Mean(0));
        AssertSameSimulation(text, sbml, 5);
    }

    [Fact]
    public void Level_3_michaelis_menten_keeps_its_law_as_an_explicit_propensity()
    {
        var sbml = SbmlReader.Parse(MichaelisMentenLevel3);
        var text = ReactionNetwork.Parse(MichaelisMentenText);
        AssertSameNetwork(text, sbml);
        Assert.False(sbml.Reactions[1].IsMassAction);
        Assert.Equal(2.0 * 4 / (5 + 4), sbml.Propensity(1, [4, 0]));
        var pi = FiniteStateProjection.Build(sbml, [30, 15]).Stationary();
        var piText = FiniteStateProjection.Build(text, [30, 15]).Stationary();
        Assert.Equal(piText.Mean(1), pi.Mean(1));
        Assert.Equal(piText.Mean(0), pi.Mean(0));
        Assert.Equal(1.5, pi.Mean(1), 1e-8); // stationary P: inflow 0.75 / decay 0.5
        AssertSameSimulation(text, sbml, 4);
    }

    [Fact]
    public void Concentrations_boundary_species_and_initial_assignments_follow_the_stated_semantics()
    {
        // A + B -> C in volume 4 written V·k·[A]·[B] gives k·a·b/V; the boundary source E (5 molecules) feeds A at k2·E;
        // an initial assignment sets k2 = 2·k.
        string xml = $"""
            <sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2">
              <model>
                <listOfCompartments><compartment id="V" size="4" constant="true"/></listOfCompartments>
                <listOfSpecies>
                  <species id="A" compartment="V" initialConcentration="2.5" hasOnlySubstanceUnits="false" boundaryCondition="false" constant="false"/>
                  <species id="B" compartment="V" initialAmount="3" hasOnlySubstanceUnits="false" boundaryCondition="false" constant="false"/>
                  <species id="C" compartment="V" initialAmount="0" hasOnlySubstanceUnits="true" boundaryCondition="false" constant="false"/>
                  <species id="E" compartment="V" initialAmount="5" hasOnlySubstanceUnits="true" boundaryCondition="true" constant="false"/>
                </listOfSpecies>
                <listOfParameters>
                  <parameter id="k" value="0.3" constant="true"/>
                  <parameter id="k2" constant="true"/>
                </listOfParameters>
                <listOfInitialAssignments>
                  <initialAssignment symbol="k2"><math xmlns="{MathNs}"><apply><times/><cn>2</cn><ci>k</ci></apply></math></initialAssignment>
                </listOfInitialAssignments>
                <listOfReactions>
                  <reaction id="bind" reversible="false">
                    <listOfReactants>
                      <speciesReference species="A" stoichiometry="1" constant="true"/>
                      <speciesReference species="B" stoichiometry="1" constant="true"/>
                    </listOfReactants>
                    <listOfProducts><speciesReference species="C" stoichiometry="1" constant="true"/></listOfProducts>
                    <kineticLaw><math xmlns="{MathNs}"><apply><times/><ci>V</ci><ci>k</ci><ci>A</ci><ci>B</ci></apply></math></kineticLaw>
                  </reaction>
                  <reaction id="feed" reversible="false">
                    <listOfReactants><speciesReference species="E" stoichiometry="1" constant="true"/></listOfReactants>
                    <listOfProducts><speciesReference species="A" stoichiometry="1" constant="true"/></listOfProducts>
                    <kineticLaw><math xmlns="{MathNs}"><apply><times/><ci>k2</ci><ci>E</ci></apply></math></kineticLaw>
                  </reaction>
                </listOfReactions>
              </model>
            </sbml>
            """;
        var n = SbmlReader.Parse(xml);
        Assert.Equal(["A", "B", "C"], n.Species);          // the boundary species E is a constant, not a state
        Assert.Equal([10L, 3, 0], n.InitialCounts);         // 2.5 per unit volume × 4
        Assert.True(n.Reactions[0].IsMassAction && n.Reactions[1].IsMassAction);
        Assert.Equal(0.3 / 4, n.Reactions[0].RateConstant, 1e-15);
        Assert.Equal(0.6 * 5, n.Reactions[1].RateConstant, 1e-15);
        Assert.Empty(n.Reactions[1].Reactants);
        Assert.Equal(0.3 / 4 * 7 * 2, n.Propensity(0, [7, 2, 0]), 1e-15);
    }

    /// <summary>A valid Level 3 model with a slot for one extra model element and one for the kinetic law's math.</summary>
    private static string Model(string extra = "", string law = "<apply><times/><ci>k</ci><ci>A</ci></apply>", string stoichiometry = "1", string species = """id="A" """) => $"""
        <sbml xmlns="http://www.sbml.org/sbml/level3/version1/core" level="3" version="1">
          <model id="m">
            <listOfCompartments><compartment id="c" size="1" constant="true"/></listOfCompartments>
            <listOfSpecies><species {species}compartment="c" initialAmount="10" hasOnlySubstanceUnits="true" boundaryCondition="false" constant="false"/></listOfSpecies>
            <listOfParameters><parameter id="k" value="1" constant="true"/></listOfParameters>
            <listOfReactions>
              <reaction id="R" reversible="false">
                <listOfReactants><speciesReference species="A" stoichiometry="{stoichiometry}" constant="true"/></listOfReactants>
                <kineticLaw><math xmlns="{MathNs}">
                  {law}
                </math></kineticLaw>
              </reaction>
            </listOfReactions>
        {extra}
          </model>
        </sbml>
        """;

    [Theory]
    [InlineData("events", "<event", "<event> 'e1': events are not supported")]
    [InlineData("assignment rule", "<assignmentRule", "<assignmentRule> 'k': rules")]
    [InlineData("rate rule", "<rateRule", "<rateRule> 'A': rules")]
    [InlineData("algebraic rule", "<algebraicRule", "<algebraicRule>: rules")]
    [InlineData("delay", "<csymbol", "delay")]
    [InlineData("time", "<initialAssignment", "depends on time (csymbol time); initial assignments must be constant")]
    [InlineData("stoichiometry", "<speciesReference", "stoichiometry 1.5 is not a whole number")]
    [InlineData("operator", "<factorial", "unsupported MathML operator <factorial>")]
    [InlineData("missing id", "<species ", "<species> has no 'id'")]
    [InlineData("unknown id", "<ci>q</ci>", "unknown id 'q'")]
    [InlineData("arity", "<divide", "<divide> takes 2 arguments")]
    [InlineData("xml", "<oops", "not well-formed XML")]
    public void Unsupported_or_bad_models_are_refused_naming_the_element_and_line(string what, string marker, string fragment)
    {
        string xml = what switch
        {
            "events" => Model("""<listOfEvents><event id="e1"><trigger/></event></listOfEvents>"""),
            "assignment rule" => Model($"""<listOfRules><assignmentRule variable="k"><math xmlns="{MathNs}"><cn>2</cn></math></assignmentRule></listOfRules>"""),
            "rate rule" => Model($"""<listOfRules><rateRule variable="A"><math xmlns="{MathNs}"><cn>2</cn></math></rateRule></listOfRules>"""),
            "algebraic rule" => Model($"""<listOfRules><algebraicRule><math xmlns="{MathNs}"><ci>A</ci></math></algebraicRule></listOfRules>"""),
            "delay" => Model(law: """<apply><csymbol encoding="text" definitionURL="http://www.sbml.org/sbml/symbols/delay">delay</csymbol><ci>A</ci><cn>1</cn></apply>"""),
            "time" => Model($"""<listOfInitialAssignments><initialAssignment symbol="k"><math xmlns="{MathNs}"><csymbol encoding="text" definitionURL="http://www.sbml.org/sbml/symbols/time">t</csymbol></math></initialAssignment></listOfInitialAssignments>"""),
            "stoichiometry" => Model(stoichiometry: "1.5"),
            "operator" => Model(law: "<apply><factorial/><ci>A</ci></apply>"),
            "missing id" => Model(species: ""),
            "unknown id" => Model(law: "<apply><times/><ci>q</ci><ci>A</ci></apply>"),
            "arity" => Model(law: "<apply><divide/><ci>A</ci></apply>"),
            _ => Model("<oops>"),
        };
        var e = Assert.Throws<ModelParseException>(() => SbmlReader.Parse(xml));
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
        int line = Array.FindIndex(xml.Split('\n'), l => l.Contains(marker, StringComparison.Ordinal)) + 1;
        if (what != "xml") Assert.Equal(line, e.Line);
        else Assert.True(e.Line > line, $"line {e.Line}"); // the parser notices the unclosed element later
        Assert.True(e.Column >= 1);
    }

    [Fact]
    public void A_level_1_document_and_a_non_mass_action_law_on_a_constant_are_reported()
    {
        var e = Assert.Throws<ModelParseException>(() => SbmlReader.Parse("""<sbml xmlns="http://www.sbml.org/sbml/level1" level="1" version="2"><model/></sbml>"""));
        Assert.Contains("Level 1 is not supported", e.Message, StringComparison.Ordinal);
        var n = SbmlReader.Parse(Model(law: "<apply><divide/><ci>A</ci><apply><plus/><cn>1</cn><ci>A</ci></apply></apply>"));
        Assert.False(n.Reactions[0].IsMassAction);
        Assert.Equal(3 / 4.0, n.Propensity(0, [3]));
        Assert.Equal(0.0, SbmlReader.Parse(Model(stoichiometry: "2", law: "<apply><times/><ci>k</ci><ci>A</ci><ci>A</ci></apply>")).Propensity(0, [1]));
    }

    internal static string Example(string name)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Drift.slnx"))) directory = directory.Parent;
        return File.ReadAllText(Path.Combine(directory!.FullName, "examples", "jumps", name));
    }

    [Theory]
    [InlineData("michaelis-menten")]
    [InlineData("dimerisation")]
    [InlineData("periodic-immigration")]
    public void Shipped_sbml_examples_equal_their_text_networks(string name) =>
        AssertSameNetwork(ReactionNetwork.Parse(Example(name + ".rn")), SbmlReader.Parse(Example(name + ".xml")));

    [Fact]
    public void Fuzzed_documents_parse_or_fail_with_a_positioned_error()
    {
        // Mutations of a valid document (byte flips, insertions of markup fragments, deletions): the reader accepts or
        // throws ModelParseException with a position; never another exception, never a hang.
        string[] fragments = ["<", ">", "/>", "</apply>", "<apply>", "<ci>S</ci>", "<cn>0</cn>", "<minus/>", "<sep/>", "\"", "=",
            "stoichiometry=\"2\"", "<ci>mm</ci>", "1e308", "-1", "NaN", "<power/>", "reversible=\"true\"", "boundaryCondition=\"true\""];
        var random = new System.Random(14);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int accepted = 0, rejected = 0;
        for (int trial = 0; trial < 1000; trial++)
        {
            var text = new System.Text.StringBuilder(MichaelisMentenLevel3);
            int edits = 1 + random.Next(3);
            for (int e = 0; e < edits; e++)
            {
                int at = random.Next(text.Length + 1);
                switch (random.Next(3))
                {
                    case 0: if (at < text.Length) text.Remove(at, 1 + random.Next(Math.Min(8, text.Length - at))); break;
                    case 1: text.Insert(at, fragments[random.Next(fragments.Length)]); break;
                    default: if (at < text.Length) text[at] = (char)random.Next(32, 127); break;
                }
            }
            try
            {
                var n = SbmlReader.Parse(text.ToString());
                Assert.True(n.ReactionCount > 0);
                accepted++;
            }
            catch (ModelParseException e)
            {
                Assert.True(e.Line >= 1 && e.Column >= 1);
                rejected++;
            }
        }
        Assert.True(accepted > 50 && rejected > 50, $"accepted {accepted}, rejected {rejected}");
        Assert.True(clock.Elapsed.TotalSeconds < 10, $"fuzzing took {clock.Elapsed.TotalSeconds} s");
    }

    [Fact]
    public void Function_calls_that_would_expand_exponentially_are_refused()
    {
        string nested = "<ci>A</ci>";
        for (int i = 0; i < 40; i++) nested = $"<apply><ci>sq</ci>{nested}</apply>";
        string xml = Model(law: nested).Replace("<model id=\"m\">", $"""
            <model id="m">
            <listOfFunctionDefinitions><functionDefinition id="sq"><math xmlns="{MathNs}"><lambda><bvar><ci>x</ci></bvar><apply><times/><ci>x</ci><ci>x</ci></apply></lambda></math></functionDefinition></listOfFunctionDefinitions>
            """, StringComparison.Ordinal);
        var e = Assert.Throws<ModelParseException>(() => SbmlReader.Parse(xml));
        Assert.Contains("expands to more than", e.Message, StringComparison.Ordinal);
    }
}

/// <summary>The SBML empty set: a species used as the source or sink of Level 2 models is not part of the state.</summary>
public class SbmlEmptySetTests
{
    private const string MathNs = "http://www.w3.org/1998/Math/MathML";

    /// <summary>Immigration–death 0 → A (10), A → 0 (1), written CellDesigner-style with an EmptySet species.</summary>
    private static string ImmigrationDeath(string emptySet, string birthLaw = "<ci>k</ci>") => $"""
        <sbml xmlns="http://www.sbml.org/sbml/level2/version4" level="2" version="4">
          <model id="immigration_death">
            <listOfCompartments><compartment id="cell" size="1"/></listOfCompartments>
            <listOfSpecies>
              <species {emptySet} compartment="cell" initialAmount="0" hasOnlySubstanceUnits="true"/>
              <species id="A" compartment="cell" initialAmount="0" hasOnlySubstanceUnits="true"/>
            </listOfSpecies>
            <listOfParameters><parameter id="k" value="10"/><parameter id="g" value="1"/></listOfParameters>
            <listOfReactions>
              <reaction id="birth" reversible="false">
                <listOfReactants><speciesReference species="s0"/></listOfReactants>
                <listOfProducts><speciesReference species="A"/></listOfProducts>
                <kineticLaw><math xmlns="{MathNs}">{birthLaw}</math></kineticLaw>
              </reaction>
              <reaction id="death" reversible="false">
                <listOfReactants><speciesReference species="A"/></listOfReactants>
                <listOfProducts><speciesReference species="s0"/></listOfProducts>
                <kineticLaw><math xmlns="{MathNs}"><apply><times/><ci>g</ci><ci>A</ci></apply></math></kineticLaw>
              </reaction>
            </listOfReactions>
          </model>
        </sbml>
        """;

    [Theory]
    [InlineData("""id="s0" name="EmptySet" """)]
    [InlineData("""id="s0" sboTerm="SBO:0000291" """)]
    public void EmptySet_is_a_source_and_sink_not_a_species(string emptySet)
    {
        var sbml = SbmlReader.Parse(ImmigrationDeath(emptySet));
        var text = Models.ImmigrationDeath;
        Assert.Equal(["A"], sbml.Species);
        Assert.Equal(2, sbml.ReactionCount);
        for (int j = 0; j < 2; j++)
        {
            Assert.True(sbml.Reactions[j].IsMassAction);
            Assert.Equal(text.Reactions[j].RateConstant, sbml.Reactions[j].RateConstant);
            Assert.Equal(text.NetChange(j, 0), sbml.NetChange(j, 0));
            Assert.Equal(text.Reactions[j].Reactants, sbml.Reactions[j].Reactants);
            Assert.Equal(text.Propensity(j, [7]), sbml.Propensity(j, [7]));
        }
    }

    [Fact]
    public void A_species_named_otherwise_stays_a_species_and_a_law_may_not_read_the_empty_set()
    {
        var ordinary = SbmlReader.Parse(ImmigrationDeath("""id="s0" name="Source" """, "<apply><times/><ci>k</ci><ci>s0</ci></apply>"));
        Assert.Equal(["s0", "A"], ordinary.Species);
        var error = Assert.Throws<Drift.Models.Text.ModelParseException>(() =>
            SbmlReader.Parse(ImmigrationDeath("""id="s0" name="EmptySet" """, "<apply><times/><ci>k</ci><ci>s0</ci></apply>")));
        Assert.Contains("the empty set", error.Message);
        Assert.Contains("line 13", error.Message); // the <ci> in the birth kinetic law
    }
}

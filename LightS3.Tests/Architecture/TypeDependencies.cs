using Mono.Cecil;
using Mono.Cecil.Cil;

namespace LightS3.Tests.Architecture;

/// <summary>
/// Which LightS3 types each LightS3 type uses, read from the compiled assembly's IL (base types, interfaces, fields,
/// signatures, attributes, locals and every type, method or field a method body touches). Compiler-generated nested
/// types (lambdas, async state machines) count for the type that declares them.
/// </summary>
internal static class TypeDependencies
{
    /// <summary>Every (from, to) pair of distinct outermost LightS3 types, from the assembly at <paramref name="path"/>.</summary>
    public static IReadOnlySet<(TypeDefinition From, TypeDefinition To)> Read(string path)
    {
        var module = ModuleDefinition.ReadModule(path);
        var pairs = new HashSet<(TypeDefinition, TypeDefinition)>();
        foreach (var type in module.GetTypes())
        {
            var from = Outermost(type);
            if (!from.Namespace.StartsWith("LightS3", StringComparison.Ordinal)) continue;
            foreach (var used in Uses(type))
                if (Resolve(used, module) is { } to && to != from && to.Namespace.StartsWith("LightS3", StringComparison.Ordinal)) pairs.Add((from, to));
        }
        return pairs;
    }

    private static TypeDefinition? Resolve(TypeReference reference, ModuleDefinition module)
    {
        while (reference is TypeSpecification spec) reference = spec.ElementType;
        if (reference is GenericParameter || reference.Scope != module && reference.Scope is not ModuleDefinition) return null;
        var definition = reference.Resolve();
        return definition is null || definition.Module != module ? null : Outermost(definition);
    }

    private static TypeDefinition Outermost(TypeDefinition type)
    {
        while (type.DeclaringType is { } outer) type = outer;
        return type;
    }

    private static IEnumerable<TypeReference> Uses(TypeDefinition type)
    {
        if (type.BaseType is { } b) foreach (var t in Expand(b)) yield return t;
        foreach (var i in type.Interfaces) foreach (var t in Expand(i.InterfaceType)) yield return t;
        foreach (var a in type.CustomAttributes) yield return a.AttributeType;
        foreach (var f in type.Fields) foreach (var t in Expand(f.FieldType)) yield return t;
        foreach (var p in type.Properties) foreach (var t in Expand(p.PropertyType)) yield return t;
        foreach (var m in type.Methods)
        {
            foreach (var t in Expand(m.ReturnType)) yield return t;
            foreach (var p in m.Parameters) foreach (var t in Expand(p.ParameterType)) yield return t;
            foreach (var a in m.CustomAttributes) yield return a.AttributeType;
            if (!m.HasBody) continue;
            foreach (var v in m.Body.Variables) foreach (var t in Expand(v.VariableType)) yield return t;
            foreach (var instruction in m.Body.Instructions)
                foreach (var t in OperandTypes(instruction)) yield return t;
        }
    }

    private static IEnumerable<TypeReference> OperandTypes(Instruction instruction)
    {
        switch (instruction.Operand)
        {
            case TypeReference t:
                foreach (var x in Expand(t)) yield return x;
                break;
            case MethodReference m:
                foreach (var x in Expand(m.DeclaringType)) yield return x;
                foreach (var x in Expand(m.ReturnType)) yield return x;
                if (m is GenericInstanceMethod g) foreach (var a in g.GenericArguments) foreach (var x in Expand(a)) yield return x;
                break;
            case FieldReference f:
                foreach (var x in Expand(f.DeclaringType)) yield return x;
                break;
        }
    }

    // A generic instance uses its definition and each argument (List<Record> uses Record).
    private static IEnumerable<TypeReference> Expand(TypeReference type)
    {
        yield return type;
        if (type is GenericInstanceType g)
            foreach (var a in g.GenericArguments) foreach (var x in Expand(a)) yield return x;
        else if (type is TypeSpecification s)
            foreach (var x in Expand(s.ElementType)) yield return x;
    }
}

"""What the schema-example tests share: the operations, their examples, JSON Schema."""

from typing import Any

from jsonschema import Draft202012Validator, FormatChecker


def operations(schema: dict):
    """``(operation_id, method, path, operation)`` of every operation."""
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method != "parameters":
                yield operation["operationId"], method, path, operation


# --- OpenAPI 3.0 schemas as JSON Schema ---------------------------------------


def json_schema(node: Any) -> Any:
    """An OpenAPI 3.0 schema as JSON Schema: ``nullable`` becomes a null alternative."""
    if isinstance(node, list):
        return [json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: json_schema(value) for key, value in node.items()}
    if "$ref" in node:
        node["$ref"] = node["$ref"].replace("#/components/schemas/", "#/$defs/")
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


def validator(schema: dict, node: dict) -> Draft202012Validator:
    document = {
        **json_schema(node),
        "$defs": json_schema(schema["components"]["schemas"]),
    }
    return Draft202012Validator(document, format_checker=FormatChecker())


def problems(schema: dict, node: dict, value: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message[:200]}"
        for error in validator(schema, node).iter_errors(value)
    ]


def documented_examples(schema: dict):
    """``(where, schema node, value)`` of every example in the document."""
    for operation_id, _method, _path, operation in operations(schema):
        for media, content in operation.get("requestBody", {}).get("content", {}).items():
            for name, example in content.get("examples", {}).items():
                yield f"{operation_id} request {media} {name}", content["schema"], example["value"]
        for status, response in operation["responses"].items():
            for media, content in response.get("content", {}).items():
                for name, example in content.get("examples", {}).items():
                    where = f"{operation_id} {status} {media} {name}"
                    yield where, content["schema"], example["value"]
        for parameter in operation.get("parameters", []):
            if "example" in parameter:
                where = f"{operation_id} parameter {parameter['name']}"
                yield where, parameter["schema"], parameter["example"]

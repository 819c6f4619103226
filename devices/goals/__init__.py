"""Goals: a device's daily targets, calculated from body metrics or set by hand.

- ``calculator``: the formulas (Mifflin–St Jeor, TDEE, macros, water, BMI), pure Python;
- ``models``: the ``Goal`` row (a ``devices`` model);
- ``services``: the rules of a goal write (plan, split, grams, one live goal) and their errors;
- ``serializers``: request and response bodies (field types and ranges only);
- ``views``: the ``/v1/goals`` endpoints, routed by ``devices.urls``;
- ``admin``: the back office's goal list.
"""

"""hfpl_mm: high-fidelity pseudo-labels (ISL / FSL) for weakly-supervised segmentation on OpenMMLab."""
from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent


def read_requirements(name):
    """Requirement lines of requirements/<name>.txt, comments stripped."""
    lines = (HERE / 'requirements' / f'{name}.txt').read_text().splitlines()
    return [ln.split('#')[0].strip() for ln in lines if ln.split('#')[0].strip()]


setup(
    name='hfpl_mm',
    version='0.1.0',
    description='Binomial ISL and masked FSL (WACV 2024) and a full WSSS pipeline as an '
    'MMSegmentation / MMPretrain plugin',
    long_description=(HERE / 'README.md').read_text() if (HERE / 'README.md').exists() else '',
    long_description_content_type='text/markdown',
    packages=find_packages(include=['hfpl_mm', 'hfpl_mm.*']),
    python_requires='>=3.10',
    install_requires=read_requirements('runtime'),
    extras_require={'tests': read_requirements('tests')},
    license='Apache-2.0',
    zip_safe=False,
)
